import { randomInt } from 'node:crypto'
import { SignJWT } from 'jose'
import type { SessionRow } from './sessions.ts'
import type { UserRow } from './users.ts'

export interface TokenSettings {
  secret: Uint8Array
  /** `<origin>/auth/v1`, as Supabase Auth's JWT issuer. */
  issuer: string
  /** Access token lifetime in seconds (GoTrue's JWT_EXP, 3600 by default). */
  expiresIn: number
}

/**
 * An access token with the claims Supabase Auth puts in one (GoTrue's
 * AccessTokenClaims), HS256 with the project's JWT secret.
 */
export async function signAccessToken(
  settings: TokenSettings,
  user: UserRow,
  session: SessionRow,
  now: Date,
  /** How the session began: `password`, or `otp` for an emailed link (GoTrue's models.OTP). */
  method: 'password' | 'otp' = 'password',
): Promise<{ token: string; expiresAt: number }> {
  const issuedAt = Math.floor(now.getTime() / 1000)
  const expiresAt = issuedAt + settings.expiresIn
  const token = await new SignJWT({
    iss: settings.issuer,
    sub: user.id,
    aud: user.aud ?? 'authenticated',
    exp: expiresAt,
    iat: issuedAt,
    email: user.email ?? '',
    phone: user.phone ?? '',
    app_metadata: user.raw_app_meta_data ?? {},
    user_metadata: user.raw_user_meta_data ?? {},
    role: user.role ?? 'authenticated',
    aal: session.aal ?? 'aal1',
    // GoTrue reads these from auth.mfa_amr_claims, stamped at sign-in; this stand-in keeps no such
    // table, so a refreshed session says `password` whatever began it.
    amr: [{ method, timestamp: Math.floor(new Date(session.created_at).getTime() / 1000) }],
    session_id: session.id,
    is_anonymous: user.is_anonymous,
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(settings.secret)
  return { token, expiresAt }
}

const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'

/**
 * GoTrue's original refresh token: 12 random lower-case letters and digits
 * (crypto.SecureAlphanumeric(12)), stored in auth.refresh_tokens. GoTrue still
 * accepts this format beside its newer session-signed one.
 */
export function newRefreshToken(): string {
  let token = ''
  for (let i = 0; i < 12; i++) token += alphabet[randomInt(alphabet.length)]
  return token
}

export const refreshTokenPattern = /^[a-z0-9]{12}$/
