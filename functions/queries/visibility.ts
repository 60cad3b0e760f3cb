import type { Queryable } from '../db/database.ts'
import { sql } from '../db/sql.ts'
import { problems } from '../problems/problem.ts'

/** An organization the caller cannot see is a 404, like any other row RLS hides. */
export async function assertOrgVisible(tx: Queryable, orgId: string): Promise<void> {
  const rows = await tx.query(sql`select 1 from public.organizations where id = ${orgId}`)
  if (rows.length === 0) throw problems.notFound('organization')
}

/** A customer the caller cannot see (another tenant's, or none) is a 404. */
export async function assertCustomerVisible(tx: Queryable, customerId: string): Promise<void> {
  const rows = await tx.query(sql`select 1 from public.customers where id = ${customerId}`)
  if (rows.length === 0) throw problems.notFound('customer')
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
