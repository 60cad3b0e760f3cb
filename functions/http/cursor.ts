import { Buffer } from 'node:buffer'
import { problems } from '../problems/problem.ts'

/**
 * Opaque keyset cursors: the last row's sort value and id, base64url JSON. The
 * sort key is inside, so a cursor used with another sort is refused rather
 * than silently skipping rows.
 */
export interface Cursor {
  sort: string
  value: string | null
  id: string
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.value, cursor.id])).toString('base64url')
}

/** The cursor a client sent back (none on the first page); one made for another list or sort is a 400. */
export function decodeCursor(raw: string | undefined, expectedSort: string): Cursor | undefined {
  if (raw === undefined) return undefined
  try {
    const [sort, value, id] = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'))
    if (
      sort === expectedSort &&
      (typeof value === 'string' || value === null) &&
      typeof id === 'string' &&
      /^[0-9a-f-]{36}$/i.test(id)
    ) {
      return { sort, value, id }
    }
  } catch {
    // fall through: any malformed cursor is the same client mistake
  }
  throw problems.badRequest('The cursor is not valid for this list and sort.', [
    { field: 'query.cursor', message: 'is not a cursor this list returned' },
  ])
}
