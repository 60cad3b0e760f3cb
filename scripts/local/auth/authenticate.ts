import type { Context } from 'hono'
import { type JWTPayload, jwtVerify } from 'jose'
import type { LocalAuthContext } from './context.ts'
import { AuthError, badRequest, forbidden } from './errors.ts'
import { findSession, type SessionRow } from './sessions.ts'
import { findUserById, isBanned, type UserRow } from './users.ts'

export interface Authenticated {
  claims: JWTPayload & { session_id?: string }
  user: UserRow
  /** Absent when the token has no session_id (GoTrue then logs the user out everywhere). */
  session: SessionRow | undefined
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const nilUuid = '00000000-0000-0000-0000-000000000000'

/**
 * GoTrue's requireAuthentication: a Bearer access token signed with the
 * secret and not expired, whose user (sub) and session (session_id) still
 * exist, for a user not banned. Errors and codes as GoTrue's.
 */
export async function authenticate(c: Context, auth: LocalAuthContext): Promise<Authenticated> {
  const match = /^(?:B|b)earer (\S+)$/.exec(c.req.header('authorization') ?? '')
  if (!match?.[1]) throw new AuthError(401, 'no_authorization', 'This endpoint requires a valid Bearer token')

  let claims: Authenticated['claims']
  try {
    claims = (
      await jwtVerify(match[1], auth.tokens.secret, { algorithms: ['HS256'], currentDate: auth.clock() })
    ).payload
  } catch (error) {
    throw forbidden(
      'bad_jwt',
      `invalid JWT: unable to parse or verify signature, ${(error as Error).message}`,
    )
  }
  if (!claims.sub) throw forbidden('bad_jwt', 'invalid claim: missing sub claim')
  if (!uuidPattern.test(claims.sub)) throw badRequest('bad_jwt', 'invalid claim: sub claim must be a UUID')

  const user = await findUserById(auth.db, claims.sub)
  if (!user) throw forbidden('user_not_found', 'User from sub claim in JWT does not exist')

  let session: SessionRow | undefined
  const sessionId = claims.session_id
  if (sessionId && sessionId !== nilUuid) {
    if (typeof sessionId !== 'string' || !uuidPattern.test(sessionId)) {
      throw forbidden('bad_jwt', 'invalid claim: session_id claim must be a UUID')
    }
    session = await findSession(auth.db, sessionId)
    if (!session) throw forbidden('session_not_found', 'Session from session_id claim in JWT does not exist')
  }
  if (isBanned(user, auth.clock())) throw forbidden('user_banned', 'User is banned')
  return { claims, user, session }
}
