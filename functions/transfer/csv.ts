/**
 * CSV as RFC 4180 describes it: fields separated by commas, records by CRLF
 * (LF accepted on input), a field holding a comma, quote, CR or LF enclosed in
 * double quotes with inner quotes doubled. A UTF-8 byte order mark is skipped.
 */

/** One record of a file and the line it starts on (the header is line 1). */
export interface CsvRecord {
  line: number
  cells: string[]
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`)
    this.name = 'CsvSyntaxError'
  }
}

/** Every record of `text`, blank lines skipped. */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = []
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0
  let line = 1
  let cells: string[] = []
  let cell = ''
  let recordLine = 1
  let quotedCell = false
  const endRecord = () => {
    cells.push(cell)
    if (cells.length > 1 || cells[0] !== '' || quotedCell) records.push({ line: recordLine, cells })
    cells = []
    cell = ''
    quotedCell = false
  }
  while (i < text.length) {
    const ch = text[i]
    if (ch === '"' && cell === '' && !quotedCell) {
      quotedCell = true
      const start = line
      i++
      for (;;) {
        if (i >= text.length) throw new CsvSyntaxError(start, 'a quoted field is never closed')
        const q = text[i]
        if (q === '"') {
          if (text[i + 1] === '"') {
            cell += '"'
            i += 2
            continue
          }
          i++
          break
        }
        if (q === '\n') line++
        cell += q
        i++
      }
      const next = text[i]
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r')
        throw new CsvSyntaxError(line, 'a quoted field must end at a comma or the end of the line')
      continue
    }
    if (ch === ',') {
      cells.push(cell)
      cell = ''
      quotedCell = false
      i++
    } else if (ch === '\r' || ch === '\n') {
      endRecord()
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1
      line++
      recordLine = line
    } else {
      if (ch === '"') throw new CsvSyntaxError(line, 'a quote inside an unquoted field')
      cell += ch
      i++
    }
  }
  if (cell !== '' || cells.length > 0 || quotedCell) endRecord()
  return records
}

// Spreadsheets run a cell that starts with one of these as a formula (OWASP "CSV
// injection"); a leading apostrophe makes them show it as text.
const formulaStart = /^'*[=+\-@\t\r]/

/**
 * A cell as it leaves in an export: a value a spreadsheet would run as a formula
 * gets a leading `'`, and so does one that already starts with quotes before
 * such a character, so `unescapeFormula` can undo exactly what was added.
 */
export function escapeFormula(value: string): string {
  return formulaStart.test(value) ? `'${value}` : value
}

/** The inverse of `escapeFormula`, applied to every imported cell. */
export function unescapeFormula(value: string): string {
  return value.startsWith("'") && formulaStart.test(value) ? value.slice(1) : value
}

/** One field, quoted when RFC 4180 requires it. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value
}

/** One record with its CRLF, every cell guarded against formulas and quoted as needed. */
export function csvRecord(values: readonly (string | null | undefined)[]): string {
  return `${values.map((v) => csvField(escapeFormula(v ?? ''))).join(',')}\r\n`
}
