import { decodeJwt, errors, jwtVerify } from 'jose'

/** Who a channel acts for: the database role the probes run as, and the claims they see. */
export interface RealtimeIdentity {
  role: 'anon' | 'authenticated' | 'service_role'
  claims: Record<string, unknown>
  /** Seconds since the epoch. */
  exp: number
}

export type TokenCheck =
  | { ok: true; identity: RealtimeIdentity }
  | { ok: false; code: string; message: string; expired?: boolean }

/**
 * Verifies a channel's token as the Realtime server does
 * (RealtimeWeb.ChannelsAuthorization): HS256 signature, `role` and `exp`
 * required, not expired; errors carry the server's codes and messages, which
 * become the join error's `reason` ("<code>: <message>").
 *
 * The database role is never simply taken from the token: the anon and service
 * role keys keep theirs, every other token acts as `authenticated`.
 */
export function createTokenChecker(jwtSecret: string, now: () => number = Date.now) {
  const key = new TextEncoder().encode(jwtSecret)
  return async function checkToken(token: string): Promise<TokenCheck> {
    try {
      decodeJwt(token)
    } catch {
      return { ok: false, code: 'MalformedJWT', message: 'The token provided is not a valid JWT' }
    }
    let claims: Record<string, unknown>
    try {
      const result = await jwtVerify(token, key, { algorithms: ['HS256'], currentDate: new Date(now()) })
      claims = result.payload as Record<string, unknown>
    } catch (error) {
      if (error instanceof errors.JWTExpired) claims = error.payload as Record<string, unknown>
      else if (error instanceof errors.JWTClaimValidationFailed)
        return { ok: false, code: 'InvalidJWTToken', message: `The ${error.claim} claim is not accepted` }
      else return { ok: false, code: 'JwtSignatureError', message: 'Failed to validate JWT signature' }
    }
    const exp = claims.exp
    if (typeof claims.role !== 'string' || typeof exp !== 'number' || !Number.isInteger(exp))
      return { ok: false, code: 'InvalidJWTToken', message: 'Fields `role` and `exp` are required in JWT' }
    const secondsLeft = exp - Math.floor(now() / 1000)
    if (secondsLeft <= 0)
      return {
        ok: false,
        code: 'InvalidJWTToken',
        message: `Token has expired ${-secondsLeft} seconds ago`,
        expired: true,
      }
    const role = claims.role === 'anon' || claims.role === 'service_role' ? claims.role : 'authenticated'
    return { ok: true, identity: { role, claims: { ...claims, role }, exp } }
  }
}
