import { randomUUID } from 'node:crypto'
import type { Column, Relation } from './catalogue.ts'

/** Columns that point at a user: the ones an attacker rewrites to claim a row as theirs. */
export function userColumns(relation: Relation): Set<string> {
  return new Set(
    relation.foreignKeys
      .filter((fk) => fk.refTable === 'public.users' || fk.refTable === 'auth.users')
      .flatMap((fk) => fk.columns),
  )
}

/** The table a column references, when it is (part of) a foreign key; org_id pairs name the other side. */
export function referencedTable(relation: Relation, column: string): string | undefined {
  const keys = relation.foreignKeys.filter((fk) => fk.columns.includes(column))
  // (customer_id, org_id) → customers: the single-column key, else the composite one that is not just org_id.
  const single = keys.find((fk) => fk.columns.length === 1)
  return (single ?? keys[0])?.refTable
}

/**
 * A copy of `row` that no unique key refuses: new uuids and suffixed text in
 * keys that are not foreign keys, and user columns rewritten to `userId` (an
 * attacker's row claims to be theirs).
 */
export function freshCopy(
  relation: Relation,
  row: Record<string, unknown>,
  userId: string | undefined,
): Record<string, unknown> {
  const copy = { ...row }
  const fkColumns = new Set(relation.foreignKeys.flatMap((fk) => fk.columns))
  const users = userColumns(relation)
  for (const column of users) if (userId) copy[column] = userId
  // One column per key is enough to make the copy unique: a uuid that no foreign key needs,
  // else the key's last text column (external ids, names), suffixed.
  const suffix = `x${randomUUID().slice(0, 8)}`
  for (const key of [relation.primaryKey, ...relation.uniques]) {
    const free = key
      .filter((name) => !fkColumns.has(name))
      .map((name) => relation.columns.find((c) => c.name === name) as Column)
    const uuid = free.find((c) => c.type === 'uuid')
    const text = free.filter((c) => c.category === 'S').at(-1)
    if (uuid) copy[uuid.name] = randomUUID()
    else if (text && typeof copy[text.name] === 'string')
      copy[text.name] = `${String(copy[text.name]).slice(0, 40)}_${suffix}`
  }
  return copy
}

/** Columns a client could name in an insert (not generated), limited to `only` when given. */
export function insertableColumns(relation: Relation, only?: (column: string) => boolean): string[] {
  return relation.columns.filter((c) => !c.generated && (!only || only(c.name))).map((c) => c.name)
}

/** `insert into t (cols) select cols from jsonb_populate_record(null::t, $1)`: a row given as JSON. */
export function insertFromJson(relation: Relation, columns: string[], suffix = 'returning 1'): string {
  const list = columns.map((c) => `"${c}"`).join(', ')
  return `insert into ${relation.name} (${list})
          select ${list} from jsonb_populate_record(null::${relation.name}, $1::jsonb)
          ${suffix}`
}

/** The value a column has in JSON, from the text of a forged value. */
export function jsonValue(column: Column, text: string | null): unknown {
  if (text === null) return null
  if (column.type === 'jsonb' || column.type === 'json') return JSON.parse(text)
  return text
}

/** `$1::type` for a parameter given as text. */
export const castParam = (column: Column, n = 1) => `$${n}::${column.type}`

/** The value of a row's column as text, as Postgres would print it (near enough for "differs"). */
export function textOf(value: unknown): string | null {
  if (value === null || value === undefined) return null
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}
