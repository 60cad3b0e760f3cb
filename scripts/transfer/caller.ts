import type { Database, Transaction } from '../../functions/db/database.ts'
import { withUser } from '../../functions/db/with-user.ts'
import type { RunAsCaller } from '../../functions/transfer/import-in-chunks.ts'

/**
 * The user a command acts as, so RLS and the role checks apply exactly as they
 * do to the API: the member with `email`, or else the organization's owner.
 */
export async function callerFor(
  db: Database,
  orgId: string,
  email: string | undefined,
): Promise<{ run: RunAsCaller; who: string }> {
  const [user] = email
    ? await db.query<{ id: string; email: string }>(
        'select id, email from public.users where lower(email) = lower($1)',
        [email],
      )
    : await db.query<{ id: string; email: string }>(
        `select u.id, u.email from public.memberships m join public.users u on u.id = m.user_id
         where m.org_id = $1 and m.role = 'owner' order by m.created_at limit 1`,
        [orgId],
      )
  if (!user) throw new Error(email ? `No user with the email ${email}` : `Organization ${orgId} has no owner`)
  const claims = { sub: user.id, email: user.email, role: 'authenticated' }
  return {
    run: <T>(fn: (tx: Transaction) => Promise<T>) => withUser(db, claims, fn),
    who: user.email,
  }
}
