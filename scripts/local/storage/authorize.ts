import { type JWTPayload, jwtVerify } from 'jose'
import type { Database } from '../../../functions/db/database.ts'
import { type UserClaims, withUser } from '../../../functions/db/with-user.ts'
import { storageErrors } from './errors.ts'
import { customerOfObject } from './paths.ts'

/** Who is asking, as storage sees the bearer token: its `role` claim picks the database role. */
export type Caller = { kind: 'service' } | { kind: 'anon' } | { kind: 'user'; claims: UserClaims }

const bearer = /^Bearer\s+/i
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Verifies the Authorization header as storage's jwt plugin does: signature
 * and expiry only (no audience), a failure being AccessDenied with jose's
 * reason. The anon key is a valid token whose role is `anon`.
 */
export function createCallerVerifier(jwtSecret: string, clock: () => Date) {
  const key = new TextEncoder().encode(jwtSecret)
  return async function verifyCaller(authorization: string | undefined): Promise<Caller> {
    const token = (authorization ?? '').replace(bearer, '')
    let payload: JWTPayload
    try {
      ;({ payload } = await jwtVerify(token, key, { algorithms: ['HS256'], currentDate: clock() }))
    } catch (error) {
      throw storageErrors.accessDenied(error instanceof Error ? error.message : undefined)
    }
    if (payload.role === 'service_role') return { kind: 'service' }
    if (payload.role === 'authenticated' && typeof payload.sub === 'string' && uuid.test(payload.sub)) {
      return { kind: 'user', claims: { ...payload, sub: payload.sub } }
    }
    return { kind: 'anon' }
  }
}

/**
 * The rules Supabase's `storage.objects` policies state for the documents
 * bucket (20261125130200, 20261204110100), asked of the database as the caller
 * (RLS applies, as on Supabase), with the same helpers: members of the
 * organization in the path read; a signed-in user adds, replaces and removes
 * only the file of a pending document of a customer they may write. The
 * service role may do anything; anon nothing; a name outside the customer
 * layout matches no policy.
 */
export function createObjectPolicies(db: Database) {
  async function ask(
    caller: Caller,
    key: string,
    question: (owner: { orgId: string; customerId: string }) => [sql: string, params: unknown[]],
  ): Promise<boolean> {
    if (caller.kind === 'service') return true
    const owner = customerOfObject(key)
    if (caller.kind === 'anon' || !owner) return false
    const [sql, params] = question(owner)
    const [row] = await withUser(db, caller.claims, (tx) => tx.query<{ allowed: boolean }>(sql, params))
    return row?.allowed === true
  }

  return {
    canRead: (caller: Caller, key: string) =>
      ask(caller, key, ({ orgId }) => ['select private.is_org_member($1::uuid) as allowed', [orgId]]),
    canWrite: (caller: Caller, key: string) =>
      ask(caller, key, () => ['select private.can_write_document_object($1) as allowed', [key]]),
  }
}

export type ObjectPolicies = ReturnType<typeof createObjectPolicies>
