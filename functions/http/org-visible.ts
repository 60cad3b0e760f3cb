import type { Queryable } from '../db/database.ts'
import { problems } from '../problems/problem.ts'

/** An organization the caller cannot see is a 404, like any other row RLS hides. */
export async function assertOrgVisible(tx: Queryable, orgId: string): Promise<void> {
  const rows = await tx.query('select 1 from public.organizations where id = $1', [orgId])
  if (rows.length === 0) throw problems.notFound('organization')
}

/**
 * A read sent together with the check that its parent is visible, without
 * waiting between them: one round trip instead of two. When the check fails,
 * its 404 is the answer and the read's rows (which RLS limited anyway) are
 * dropped. Reads only: a write must not be sent before its check has passed.
 */
export async function readAfterCheck<T>(check: Promise<void>, read: Promise<T>): Promise<T> {
  const [, rows] = await Promise.all([check, read])
  return rows
}
