import type { Context } from 'hono'
import { type JWTPayload, jwtVerify } from 'jose'
import type { LocalAuthContext } from './context.ts'
import { AuthError, forbidden } from './errors.ts'

/** GoTrue's JWT_ADMIN_ROLES default. */
const adminRoles = ['service_role', 'supabase_admin']

/**
 * GoTrue's requireAdminCredentials for a token without a session (the
 * service role key): a Bearer JWT signed with the project's secret whose
 * `role` is an admin role. The anon key, or a user's token, is 403 not_admin.
 */
export async function requireAdminCredentials(c: Context, auth: LocalAuthContext): Promise<JWTPayload> {
  const match = /^(?:B|b)earer (\S+)$/.exec(c.req.header('authorization') ?? '')
  if (!match?.[1]) throw new AuthError(401, 'no_authorization', 'This endpoint requires a valid Bearer token')
  let claims: JWTPayload
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
  if (!adminRoles.includes(String(claims.role))) throw forbidden('not_admin', 'User not allowed')
  return claims
}
