import { decodeCursor } from './cursor.ts'

/** One sort of a list: the SQL column, its type (to cast the cursor back), and the id column that breaks ties. */
export interface KeysetSort {
  /** As the client wrote it, e.g. `-created_at`; a cursor is bound to it. */
  name: string
  column: string
  type: string
  idColumn: string
}

/**
 * The SQL pieces of one keyset page: rows strictly after the cursor in
 * (sort, id) order, and one more than the limit so `keysetPage` knows whether
 * a next page exists. Parameters are appended to `params`; the fragments
 * refer to them by number.
 */
export function keysetQuery(sort: KeysetSort, cursor: string | undefined, limit: number, params: unknown[]) {
  const descending = sort.name.startsWith('-')
  const direction = descending ? 'desc' : 'asc'
  let after: string | undefined
  if (cursor !== undefined) {
    const { value, id } = decodeCursor(cursor, sort.name) as { value: string | null; id: string }
    params.push(value, id)
    const op = descending ? '<' : '>'
    // Sent as text and cast in SQL: postgres.js would pass a timestamptz parameter
    // through a JS Date and drop its microseconds, and the page would repeat a row.
    after = `(${sort.column}, ${sort.idColumn}) ${op} ($${params.length - 1}::text::${sort.type}, $${params.length}::uuid)`
  }
  params.push(limit + 1)
  return {
    /** A WHERE condition, or undefined on the first page. */
    after,
    /** Select it `as sort_value`: the next cursor is made from it. */
    sortValue: `${sort.column}::text`,
    orderBy: `${sort.column} ${direction}, ${sort.idColumn} ${direction}`,
    limit: `$${params.length}`,
  }
}
