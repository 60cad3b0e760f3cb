import type { Queryable } from '../db/database.ts'
import { problems } from '../problems/problem.ts'
import { versionSql } from './etag.ts'

/**
 * After an update or delete under RLS touched no row, says why: hidden (404),
 * changed since the client read it (412), or visible but not the caller's to
 * write (403). `table` is schema-qualified and one of ours, never client input.
 */
export async function explainNoRow(
  tx: Queryable,
  table: string,
  what: string,
  id: string,
  expectedVersion: string | undefined,
): Promise<never> {
  const [row] = await tx.query<{ version: number | string }>(
    `select ${versionSql()} as version from ${table} where id = $1`,
    [id],
  )
  if (!row) throw problems.notFound(what)
  if (expectedVersion !== undefined && String(row.version) !== expectedVersion)
    throw problems.preconditionFailed()
  throw problems.forbidden()
}

/** `and <version> = $n` when the client sent If-Match, with its parameter appended to `params`. */
export function versionCheck(params: unknown[], expectedVersion: string | undefined): string {
  if (expectedVersion === undefined) return ''
  params.push(expectedVersion)
  return `and ${versionSql()} = $${params.length}::bigint`
}

/** Deletes one row by id, honouring If-Match; a row it could not delete is explained (404, 412, 403). */
export async function deleteById(
  tx: Queryable,
  table: string,
  what: string,
  id: string,
  expectedVersion: string | undefined,
): Promise<void> {
  const params: unknown[] = [id]
  const check = versionCheck(params, expectedVersion)
  const deleted = await tx.query(`delete from ${table} where id = $1 ${check} returning id`, params)
  if (deleted.length === 0) await explainNoRow(tx, table, what, id, expectedVersion)
}
