import type { Database, Transaction } from './database.ts'
import { type Sql, sql } from './sql.ts'

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
  applicationName?: string,
): Promise<T> {
  return withDatabaseRole(db, 'authenticated', { ...claims, role: 'authenticated' }, fn, applicationName)
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
  /** Shown in pg_stat_activity for this transaction, e.g. `sales-api <request id>`. */
  applicationName?: string,
): Promise<T> {
  return db.transaction((tx) => {
    // Pipelined: the set-up is written to the connection before fn's first
    // statement, and fn does not wait for its answer. That saves a round trip
    // per request without ever running a statement as the login role: both
    // drivers send a transaction's statements in the order they are issued,
    // and if the set-up fails the transaction is aborted, so every later
    // statement fails too (25P02). The set-up's own error is the one reported.
    const setUp = tx.query(switchRole(role, JSON.stringify(claims), applicationName ?? null))
    // An async wrapper, so an fn that throws before returning a promise still lands in
    // Promise.all, and the set-up's own failure is never left unhandled.
    const work = (async () => fn(tx))()
    return Promise.all([setUp, work]).then(([, result]) => result)
  })
}

/**
 * Role, claims, the request's application_name (so pg_stat_activity and the
 * server's logs name the request) and the role's statement_timeout, in one round trip. A role's
 * settings (`alter role … set`, in this database or for all) apply when one
 * logs in as it; the API logs in as its own user and switches role per
 * transaction, so, like PostgREST, it applies the role's timeout itself: a
 * pathological query is cancelled (57014, a 503) instead of holding a pooled
 * connection. Supabase sets 8 s for `authenticated`
 * (supabase/migrations/20261125150000_api_statement_timeout.sql does the same elsewhere).
 */
const switchRole = (role: DatabaseRole, claims: string, applicationName: string | null): Sql => sql`
  select set_config('role', ${role}, true), set_config('request.jwt.claims', ${claims}, true),
         set_config('statement_timeout', coalesce((
           select split_part(s, '=', 2)
           from pg_catalog.pg_db_role_setting d cross join unnest(d.setconfig) s
           where d.setrole = ${role}::text::regrole and s like 'statement_timeout=%'
             and d.setdatabase in (0, (select oid from pg_catalog.pg_database where datname = current_database()))
           order by d.setdatabase desc
           limit 1
         ), current_setting('statement_timeout')), true),
         set_config('application_name', coalesce(${applicationName}::text, current_setting('application_name')), true)`
