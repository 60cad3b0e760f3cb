import type { Context } from 'hono'
import { accessTokenResponse } from './access-token-response.ts'
import { clientOf, type LocalAuthContext, readJsonObject, stringField } from './context.ts'
import { type AuthError, badRequest } from './errors.ts'
import {
  activeRefreshToken,
  deleteRefreshToken,
  findSession,
  lockRefreshToken,
  revokeSessionTokens,
  swapRefreshToken,
} from './sessions.ts'
import { refreshTokenPattern } from './tokens.ts'
import { findUserById, isBanned } from './users.ts'

/**
 * `POST /token?grant_type=refresh_token`: GoTrue's RefreshTokenGrant with
 * rotation. Each refresh revokes the presented token and issues its child.
 * A revoked token is still answered when it is the parent of the session's
 * live token (the client lost the response: the live token is returned
 * again) or was revoked less than the reuse interval ago (concurrent tabs);
 * otherwise it is reuse: the session's tokens are all revoked and the answer
 * is 400 refresh_token_already_used.
 */
export async function refreshTokenGrant(c: Context, auth: LocalAuthContext): Promise<Response> {
  const body = await readJsonObject(c)
  const presented = stringField(body, 'refresh_token')
  // GoTrue also accepts its newer, longer session-signed tokens; this stand-in issues only the 12-character kind.
  if (!refreshTokenPattern.test(presented))
    throw badRequest('validation_failed', 'Refresh token is not valid')

  const client = clientOf(c)
  // An error returned (not thrown) commits first: GoTrue keeps the revocation
  // of a reused token's session, then answers "Already Used" (storage.NewCommitWithError).
  const outcome = await auth.db.transaction(
    async (tx): Promise<{ session: object } | { failure: AuthError }> => {
      const now = auth.clock()
      const token = await lockRefreshToken(tx, presented)
      if (!token) throw refreshTokenNotFound()
      const user = await findUserById(tx, token.user_id)
      if (!user) throw refreshTokenNotFound()
      if (isBanned(user, now)) throw badRequest('user_banned', 'Invalid Refresh Token: User Banned')
      const session = token.session_id ? await findSession(tx, token.session_id) : undefined
      if (!session) {
        await deleteRefreshToken(tx, token.id)
        return { failure: badRequest('session_not_found', 'Invalid Refresh Token: No Valid Session Found') }
      }
      if (session.not_after && now > session.not_after) {
        throw badRequest('session_expired', 'Invalid Refresh Token: Session Expired')
      }

      let issued: string | undefined
      if (token.revoked) {
        const active = await activeRefreshToken(tx, session.id)
        if (active?.parent === token.token) {
          issued = active.token
        } else if (now.getTime() > new Date(token.updated_at).getTime() + auth.reuseInterval * 1000) {
          await revokeSessionTokens(tx, session.id, now)
          return { failure: badRequest('refresh_token_already_used', 'Invalid Refresh Token: Already Used') }
        }
      }
      issued ??= await swapRefreshToken(tx, token, client, now)
      return { session: await accessTokenResponse(auth, tx, user, session, issued, now) }
    },
  )
  if ('failure' in outcome) throw outcome.failure
  return c.json(outcome.session, 200)
}

const refreshTokenNotFound = () =>
  badRequest('refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found')
