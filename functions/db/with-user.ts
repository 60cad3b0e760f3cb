import type { Database, Transaction } from './database.ts'

/** The JWT claims of a verified caller; `sub` is the auth user id. */
export interface UserClaims {
  sub: string
  role?: string
  aud?: string | string[]
  email?: string
  [claim: string]: unknown
}

/**
 * Runs `fn` in one transaction as the caller, exactly as PostgREST does: the
 * database role is `authenticated` (never taken from the token) and the claims
 * are visible to `auth.uid()` / `auth.jwt()` for RLS. Both settings are local
 * to the transaction, which is what makes this safe through a transaction-mode
 * pooler: the next transaction on the connection starts clean.
 */
export function withUser<T>(
  db: Database,
  claims: UserClaims,
  fn: (tx: Transaction) => Promise<T>,
): Promise<T> {
  return withDatabaseRole(db, 'authenticated', { ...claims, role: 'authenticated' }, fn)
}

/**
 * Runs `fn` as Supabase's `service_role`, which bypasses RLS. Only webhooks and
 * scheduled jobs may do this, and their names say so.
 */
export function withServiceRole<T>(db: Database, fn: (tx: Transaction) => Promise<T>): Promise<T> {
  return withDatabaseRole(db, 'service_role', { role: 'service_role' }, fn)
}

export type DatabaseRole = 'anon' | 'authenticated' | 'service_role'

/** The primitive under both: a transaction with a local role and local claims. */
export function withDatabaseRole<T>(
  db: Database,
  role: DatabaseRole,
  claims: Record<string, unknown>,
  fn: (tx: Transaction) => Promise<T>,
): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query(`select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)`, [
      role,
      JSON.stringify(claims),
    ])
    return fn(tx)
  })
}
