import { parseCsv, unescapeFormula } from './csv.ts'

/**
 * What an import reads, whatever it came as: each row's cells by field name
 * (absent when no column maps to the field) and the line to quote in errors.
 */
export interface SourceRow {
  line: number
  fields: Record<string, string | undefined>
}

export class SourceError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SourceError'
  }
}

/**
 * `Company:name,Stage:phase` → source column (lower case) → field. Column names
 * may not hold `,` or `:`; rename those in the file instead.
 */
export function parseMapping(param: string | undefined): Map<string, string> {
  const mapping = new Map<string, string>()
  for (const pair of (param ?? '').split(',')) {
    if (!pair.trim()) continue
    const at = pair.lastIndexOf(':')
    if (at <= 0 || at === pair.length - 1) throw new SourceError(`mapping "${pair}" is not Column:field`)
    mapping.set(
      pair.slice(0, at).trim().toLowerCase(),
      pair
        .slice(at + 1)
        .trim()
        .toLowerCase(),
    )
  }
  return mapping
}

/**
 * Names each column with the field it fills: an override from `mapping` first,
 * else its own header, case-insensitive. Columns that name no field (`id`,
 * `created_at`, `owner_name`… of an export) are ignored; `accepts` decides.
 */
export function mapHeader(
  header: readonly string[],
  accepts: (field: string) => boolean,
  mapping: Map<string, string>,
): (string | undefined)[] {
  for (const [column, field] of mapping) {
    if (!accepts(field))
      throw new SourceError(`mapping names "${field}", which is not a field of this import`)
    if (!header.some((h) => h.trim().toLowerCase() === column))
      throw new SourceError(`mapping names column "${column}", which the file does not have`)
  }
  const fields = header.map((h) => {
    const name = h.trim().toLowerCase()
    const field = mapping.get(name) ?? name
    return accepts(field) ? field : undefined
  })
  const seen = new Set<string>()
  for (const f of fields) {
    if (f === undefined) continue
    if (seen.has(f)) throw new SourceError(`two columns fill the field "${f}"`)
    seen.add(f)
  }
  return fields
}

/** The rows of a CSV text whose first record is its header. */
export function rowsFromCsv(
  text: string,
  accepts: (field: string) => boolean,
  mapping: Map<string, string>,
): SourceRow[] {
  const [header, ...records] = parseCsv(text)
  if (!header) throw new SourceError('the file is empty: it needs a header row')
  const fields = mapHeader(header.cells, accepts, mapping)
  return records.map((record) => {
    const row: SourceRow = { line: record.line, fields: {} }
    fields.forEach((field, i) => {
      if (field !== undefined) row.fields[field] = unescapeFormula(record.cells[i] ?? '')
    })
    return row
  })
}

/** The rows of a JSON array of objects; the line of a row is its position, from 1. */
export function rowsFromJson(
  value: unknown,
  accepts: (field: string) => boolean,
  mapping: Map<string, string>,
): SourceRow[] {
  if (!Array.isArray(value)) throw new SourceError('a JSON import is an array of objects')
  const header = [
    ...new Set(value.flatMap((o) => (o && typeof o === 'object' && !Array.isArray(o) ? Object.keys(o) : []))),
  ]
  const fields = mapHeader(header, accepts, mapping)
  return value.map((object, index) => {
    if (!object || typeof object !== 'object' || Array.isArray(object))
      throw new SourceError(`item ${index + 1} is not an object`)
    const row: SourceRow = { line: index + 1, fields: {} }
    header.forEach((key, i) => {
      const field = fields[i]
      if (field === undefined) return
      const v = (object as Record<string, unknown>)[key]
      row.fields[field] = v === null || v === undefined ? '' : String(v)
    })
    return row
  })
}
