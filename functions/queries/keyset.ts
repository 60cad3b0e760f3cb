import { type Sql, sql } from '../db/sql.ts'

/** One sort of a list: the column, its SQL type (to cast the cursor's value back), and the id column that breaks ties. */
export interface KeysetSort {
  /** As the client wrote it, e.g. `-created_at`: descending when it starts with `-`. */
  name: string
  column: Sql
  type: Sql
  idColumn: Sql
}

/** Where the previous page ended: its last row's sort value (as text) and id, from the cursor. */
export interface KeysetAfter {
  value: string | null
  id: string
}

/** A row read with one extra beyond the page, carrying its sort value as text for the next cursor. */
export interface KeysetRow {
  id: string
  sort_value: string | null
}

/**
 * The SQL pieces of one keyset page: rows strictly after `after` in (sort, id)
 * order, and one more than the limit so the caller knows whether a next page
 * exists (http/keyset-page.ts).
 */
export function keysetClauses(sort: KeysetSort, after: KeysetAfter | undefined, limit: number) {
  const descending = sort.name.startsWith('-')
  const direction = descending ? sql`desc` : sql`asc`
  return {
    /**
     * A WHERE condition: `true` on the first page. The value is sent as text and cast in SQL:
     * postgres.js would pass a timestamptz parameter through a JS Date and drop its
     * microseconds, and the page would repeat a row.
     */
    after: after
      ? sql`(${sort.column}, ${sort.idColumn}) ${descending ? sql`<` : sql`>`} (${after.value}::text::${sort.type}, ${after.id}::uuid)`
      : sql`true`,
    /** Select it `as sort_value`: the next cursor is made from it. */
    sortValue: sql`${sort.column}::text`,
    orderBy: sql`${sort.column} ${direction}, ${sort.idColumn} ${direction}`,
    limit: sql`${limit + 1}`,
  }
}
