import type { UserClaims } from '../../db/with-user.ts'

export interface VerifiedTokenCacheOptions {
  /** The app's clock, as the verifier uses it. */
  clock?: () => Date
  /** Tokens remembered at once; the oldest is forgotten first. */
  maxEntries?: number
  /** How long a verification is trusted before the signature is checked again. */
  maxAgeMs?: number
  /** The tolerance the verifier gives `exp`, so a cached token expires when a fresh check would refuse it. */
  clockToleranceSeconds: number
}

/**
 * Remembers tokens that passed verification, so a dashboard's burst of
 * requests with one token pays for the signature once (HMAC or RSA through
 * WebCrypto was a tenth of the API's CPU under load). The key is the whole
 * token, signature included: any change to it is a miss and a full check. An
 * entry is used only while the token is unexpired by the current clock, and
 * for at most `maxAgeMs`, so a key withdrawn from the JWKS stops being
 * accepted within that time, as with a fresh verification after jose's own
 * JWKS cache refreshes. Refusals are never cached.
 */
export function cacheVerifiedTokens(
  verify: (token: string) => Promise<UserClaims>,
  options: VerifiedTokenCacheOptions,
): (token: string) => Promise<UserClaims> {
  const clock = options.clock ?? (() => new Date())
  const maxEntries = options.maxEntries ?? 1000
  const maxAgeMs = options.maxAgeMs ?? 60_000
  const toleranceMs = options.clockToleranceSeconds * 1000
  const entries = new Map<string, { claims: UserClaims; validFromMs: number; validUntilMs: number }>()

  return async function verifyWithCache(token: string): Promise<UserClaims> {
    const now = clock().getTime()
    const hit = entries.get(token)
    if (hit && hit.validFromMs <= now && now < hit.validUntilMs) return { ...hit.claims }
    if (hit) entries.delete(token)
    const claims = await verify(token)
    const seconds = (claim: unknown) => (typeof claim === 'number' ? claim * 1000 : undefined)
    // The window in which a fresh verification would also pass: after nbf and iat, before exp.
    const validFromMs =
      Math.max(seconds(claims.nbf) ?? -Infinity, seconds(claims.iat) ?? -Infinity) - toleranceMs
    const validUntilMs = Math.min((seconds(claims.exp) ?? now) + toleranceMs, now + maxAgeMs)
    entries.set(token, { claims: { ...claims }, validFromMs, validUntilMs })
    if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string)
    return claims
  }
}
