import type { Queryable } from '../db/database.ts'
import { type Sql, sql } from '../db/sql.ts'
import { problems } from '../problems/problem.ts'

/**
 * A row's version, what its ETag carries: updated_at in microseconds, read in
 * SQL because a JS Date keeps only milliseconds and two writes can share one.
 */
export const versionOf = (updatedAt: Sql = sql`updated_at`) =>
  sql`(extract(epoch from ${updatedAt}) * 1000000)::bigint`

/** `and <version> = …` when the client sent If-Match; nothing otherwise. */
export function versionCheck(expectedVersion: string | undefined, updatedAt?: Sql): Sql {
  return expectedVersion === undefined
    ? sql.empty
    : sql`and ${versionOf(updatedAt)} = ${expectedVersion}::bigint`
}

/**
 * After an update or delete under RLS touched no row, says why: hidden (404),
 * changed since the client read it (412), or visible but not the caller's to
 * write (403). `table` is one of ours (sql.identifier), never client input.
 */
export async function explainNoRow(
  tx: Queryable,
  table: Sql,
  what: string,
  id: string,
  expectedVersion: string | undefined,
): Promise<never> {
  const [row] = await tx.query<{ version: number | string }>(
    sql`select ${versionOf()} as version from ${table} where id = ${id}`,
  )
  if (!row) throw problems.notFound(what)
  if (expectedVersion !== undefined && String(row.version) !== expectedVersion)
    throw problems.preconditionFailed()
  throw problems.forbidden()
}

/** Deletes one row by id, honouring If-Match; a row it could not delete is explained (404, 412, 403). */
export async function deleteById(
  tx: Queryable,
  table: Sql,
  what: string,
  id: string,
  expectedVersion: string | undefined,
): Promise<void> {
  const deleted = await tx.query(
    sql`delete from ${table} where id = ${id} ${versionCheck(expectedVersion)} returning id`,
  )
  if (deleted.length === 0) await explainNoRow(tx, table, what, id, expectedVersion)
}
