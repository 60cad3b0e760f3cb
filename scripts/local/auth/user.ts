import type { Context } from 'hono'
import { authenticate } from './authenticate.ts'
import type { LocalAuthContext } from './context.ts'
import { badRequest } from './errors.ts'
import { userJson } from './users.ts'

/** `GET /user`: GoTrue's UserGet, the signed-in user as the token's audience sees it. */
export async function getUser(c: Context, auth: LocalAuthContext): Promise<Response> {
  const { claims, user } = await authenticate(c, auth)
  const audience = Array.isArray(claims.aud) ? claims.aud[0] : claims.aud
  if (audience !== auth.audience) {
    throw badRequest('validation_failed', "Token audience doesn't match request audience")
  }
  return c.json(await userJson(auth.db, user), 200)
}
