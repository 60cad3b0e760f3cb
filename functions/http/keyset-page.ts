import type { KeysetRow } from '../queries/keyset.ts'
import { encodeCursor } from './cursor.ts'

export type { KeysetRow }

/**
 * A page from `limit + 1` rows read in keyset order (queries/keyset.ts): the
 * extra row only says there is more, and the last row shown becomes the
 * cursor for the next page.
 */
export function keysetPage<R extends KeysetRow, T>(
  rows: readonly R[],
  limit: number,
  sort: string,
  toItem: (row: R) => T,
): { data: T[]; next_cursor: string | null } {
  const page = rows.slice(0, limit)
  const last = page.at(-1)
  const more = rows.length > limit && last !== undefined
  return {
    data: page.map(toItem),
    next_cursor: more ? encodeCursor({ sort, value: last.sort_value, id: last.id }) : null,
  }
}
