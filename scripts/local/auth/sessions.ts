import type { Queryable, Transaction } from '../../../functions/db/database.ts'
import { newRefreshToken } from './tokens.ts'
import { instanceId } from './users.ts'

export interface SessionRow {
  id: string
  user_id: string
  created_at: Date
  aal: string | null
  not_after: Date | null
}

export interface RefreshTokenRow {
  id: string
  token: string
  user_id: string
  revoked: boolean
  updated_at: Date
  parent: string | null
  session_id: string | null
}

/** Where the request came from, kept on the session as GoTrue keeps it. */
export interface Client {
  userAgent: string | null
  ip: string | null
}

/**
 * GoTrue's IssueRefreshToken for a sign-in: a new session (aal1), its first
 * refresh token, and the user's last_sign_in_at, in the caller's transaction.
 */
export async function startSession(
  tx: Transaction,
  userId: string,
  client: Client,
  now: Date,
): Promise<{ session: SessionRow; refreshToken: string }> {
  const [session] = await tx.query<SessionRow>(
    `insert into auth.sessions (id, user_id, created_at, updated_at, aal, user_agent, ip)
     values (gen_random_uuid(), $1, $2, $2, 'aal1', $3, $4::inet)
     returning id, user_id, created_at, aal::text as aal, not_after`,
    [userId, now.toISOString(), client.userAgent, client.ip],
  )
  if (!session) throw new Error('The session was not created')
  const refreshToken = await insertRefreshToken(tx, userId, session.id, null, now)
  await touchLastSignIn(tx, userId, now)
  return { session, refreshToken }
}

/** GoTrue's GrantRefreshTokenSwap: revoke the presented token, issue its child in the same session. */
export async function swapRefreshToken(
  tx: Transaction,
  token: RefreshTokenRow,
  client: Client,
  now: Date,
): Promise<string> {
  await tx.query(`update auth.refresh_tokens set revoked = true, updated_at = $2 where id = $1`, [
    token.id,
    now.toISOString(),
  ])
  const child = await insertRefreshToken(tx, token.user_id, token.session_id as string, token.token, now)
  await touchLastSignIn(tx, token.user_id, now)
  await tx.query(
    `update auth.sessions set refreshed_at = $2::timestamptz at time zone 'UTC', updated_at = $2,
            user_agent = $3, ip = $4::inet
      where id = $1`,
    [token.session_id, now.toISOString(), client.userAgent, client.ip],
  )
  return child
}

async function insertRefreshToken(
  tx: Queryable,
  userId: string,
  sessionId: string,
  parent: string | null,
  now: Date,
): Promise<string> {
  const token = newRefreshToken()
  await tx.query(
    `insert into auth.refresh_tokens (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
     values ($1, $2, $3, false, $4, $4, $5, $6)`,
    [instanceId, token, userId, now.toISOString(), parent, sessionId],
  )
  return token
}

async function touchLastSignIn(tx: Queryable, userId: string, now: Date): Promise<void> {
  await tx.query(`update auth.users set last_sign_in_at = $2 where id = $1`, [userId, now.toISOString()])
}

export async function findSession(db: Queryable, id: string): Promise<SessionRow | undefined> {
  const [session] = await db.query<SessionRow>(
    `select id, user_id, created_at, aal::text as aal, not_after from auth.sessions where id = $1`,
    [id],
  )
  return session
}

/** The token row, locked for this transaction: concurrent refreshes of one token take turns. */
export async function lockRefreshToken(tx: Queryable, token: string): Promise<RefreshTokenRow | undefined> {
  const [row] = await tx.query<RefreshTokenRow>(
    `select id::text as id, token, user_id, coalesce(revoked, false) as revoked, updated_at, parent, session_id
       from auth.refresh_tokens where token = $1 for update`,
    [token],
  )
  return row
}

/** GoTrue's FindCurrentlyActiveRefreshToken: the session's newest token not revoked. */
export async function activeRefreshToken(
  tx: Queryable,
  sessionId: string,
): Promise<RefreshTokenRow | undefined> {
  const [row] = await tx.query<RefreshTokenRow>(
    `select id::text as id, token, user_id, revoked, updated_at, parent, session_id
       from auth.refresh_tokens where session_id = $1 and revoked is false order by id desc limit 1`,
    [sessionId],
  )
  return row
}

/** GoTrue's RevokeTokenFamily for a token with a session: every live token of the session. */
export async function revokeSessionTokens(tx: Queryable, sessionId: string, now: Date): Promise<void> {
  await tx.query(
    `update auth.refresh_tokens set revoked = true, updated_at = $2 where session_id = $1 and revoked = false`,
    [sessionId, now.toISOString()],
  )
}

export async function deleteRefreshToken(tx: Queryable, id: string): Promise<void> {
  await tx.query(`delete from auth.refresh_tokens where id = $1`, [id])
}
