import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from 'jose'
import type { UserClaims } from '../../db/with-user.ts'
import { cacheVerifiedTokens } from './verified-token-cache.ts'

export interface TokenVerifierOptions {
  /** Supabase's legacy HS256 JWT secret. */
  secret?: string | undefined
  /** The project's JWKS (`https://<ref>.supabase.co/auth/v1/.well-known/jwks.json`) for asymmetric keys. */
  jwksUrl?: string | undefined
  /** When set, `iss` must be exactly this (`https://<ref>.supabase.co/auth/v1`): another project's tokens are refused. */
  issuer?: string | undefined
  clock?: () => Date
}

export class InvalidTokenError extends Error {
  override name = 'InvalidTokenError'
}

/** Seconds of disagreement between our clock and the issuer's that we forgive. */
const clockToleranceSeconds = 30

/**
 * Verifies a Supabase access token: signature (HS256 secret, or the JWKS keys,
 * fetched once and cached by jose), `exp` required, `aud` = authenticated, a
 * `sub`. Whatever `role` the token claims, the caller is `authenticated`.
 */
export function createTokenVerifier(options: TokenVerifierOptions) {
  const secret = options.secret ? new TextEncoder().encode(options.secret) : undefined
  const jwks = options.jwksUrl ? createRemoteJWKSet(new URL(options.jwksUrl)) : undefined
  if (!secret && !jwks) throw new Error('A token verifier needs a secret or a JWKS URL')

  return cacheVerifiedTokens(verifyToken, { clock: options.clock, clockToleranceSeconds })

  async function verifyToken(token: string): Promise<UserClaims> {
    const currentDate = options.clock?.() ?? new Date()
    const verifyOptions = {
      audience: 'authenticated',
      clockTolerance: clockToleranceSeconds,
      requiredClaims: ['exp', 'sub'],
      currentDate,
      ...(options.issuer ? { issuer: options.issuer } : {}),
    }
    let payload: JWTPayload
    try {
      if (jwks && (!secret || !isHs256(token))) {
        payload = (
          await jwtVerify(token, jwks, { ...verifyOptions, algorithms: ['RS256', 'ES256', 'EdDSA'] })
        ).payload
      } else {
        payload = (await jwtVerify(token, secret as Uint8Array, { ...verifyOptions, algorithms: ['HS256'] }))
          .payload
      }
    } catch (error) {
      throw new InvalidTokenError(describe(error))
    }
    // jose checks iat only against a maximum age; a token issued in the future is forged or from a
    // clock gone wrong, and would outlive its intended lifetime.
    if (
      typeof payload.iat === 'number' &&
      payload.iat > currentDate.getTime() / 1000 + clockToleranceSeconds
    ) {
      throw new InvalidTokenError("The token's iat claim is not accepted.")
    }
    if (typeof payload.sub !== 'string' || !/^[0-9a-f-]{36}$/i.test(payload.sub)) {
      throw new InvalidTokenError('The token has no user (sub).')
    }
    return { ...(payload as UserClaims), sub: payload.sub, role: 'authenticated' }
  }
}

function isHs256(token: string): boolean {
  try {
    const header = JSON.parse(atob((token.split('.')[0] ?? '').replace(/-/g, '+').replace(/_/g, '/')))
    return header.alg === 'HS256'
  } catch {
    return false
  }
}

/** A reason the caller can act on, without anything that helps forge a token. */
function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'The token has expired.'
  if (error instanceof errors.JWTClaimValidationFailed)
    return `The token's ${error.claim} claim is not accepted.`
  if (error instanceof errors.JOSEAlgNotAllowed) return 'The token is not signed with an accepted algorithm.'
  return 'The token is not valid.'
}
