import type { Queryable } from '../db/database.ts'
import { problems } from '../problems/problem.ts'

/** An organization the caller cannot see is a 404, like any other row RLS hides. */
export async function assertOrgVisible(tx: Queryable, orgId: string): Promise<void> {
  const rows = await tx.query('select 1 from public.organizations where id = $1', [orgId])
  if (rows.length === 0) throw problems.notFound('organization')
}
