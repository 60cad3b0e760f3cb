import type { Queryable } from '../../../functions/db/database.ts'
import type { LocalAuthContext } from './context.ts'
import type { SessionRow } from './sessions.ts'
import { signAccessToken } from './tokens.ts'
import { findUserById, type UserRow, userJson } from './users.ts'

/** GoTrue's AccessTokenResponse: the session supabase-js stores. */
export async function accessTokenResponse(
  auth: LocalAuthContext,
  db: Queryable,
  user: UserRow,
  session: SessionRow,
  refreshToken: string,
  now: Date,
  method: 'password' | 'otp' = 'password',
): Promise<Record<string, unknown>> {
  // Read again: issuing a token moved last_sign_in_at.
  const current = (await findUserById(db, user.id)) ?? user
  const { token, expiresAt } = await signAccessToken(auth.tokens, current, session, now, method)
  return {
    access_token: token,
    token_type: 'bearer',
    expires_in: auth.tokens.expiresIn,
    expires_at: expiresAt,
    refresh_token: refreshToken,
    user: await userJson(db, current),
  }
}
