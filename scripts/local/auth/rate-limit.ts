import { AuthError } from './errors.ts'

/**
 * A token bucket as GoTrue's limiters are (tollbooth over golang.org/x/time/rate,
 * internal/api/apilimiter): `burst` requests at once, refilled at
 * `perFiveMinutes` per five minutes. GoTrue's defaults for POST /token are
 * 30 and 150 (GOTRUE_RATE_LIMIT_TOKEN_REFRESH), per client address.
 */
export interface RateLimit {
  burst: number
  perFiveMinutes: number
}

/** GoTrue's limit on POST /token per client address: every grant counts (password and refresh). */
export const defaultAddressLimit: RateLimit = { burst: 30, perFiveMinutes: 150 }

/**
 * Password attempts per email address. GoTrue itself keys its sign-in limit
 * on the client address only; a guesser spread over many addresses is held
 * here too, with the bucket of GoTrue's sign-in/sign-up limit
 * (GOTRUE_RATE_LIMIT_OTP: 30 per five minutes).
 */
export const defaultEmailLimit: RateLimit = { burst: 30, perFiveMinutes: 30 }

/** GoTrue's answer when a bucket is empty (internal/api/middleware.go, performRateLimiting). */
export const overRequestRateLimit = () =>
  new AuthError(429, 'over_request_rate_limit', 'Request rate limit reached')

/** Buckets nobody touched for this long are full again and forgotten (GoTrue's limiters expire after an hour). */
const idleMs = 60 * 60 * 1000

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>()
  private readonly perMs: number

  constructor(
    private readonly limit: RateLimit,
    private readonly clock: () => Date,
  ) {
    this.perMs = limit.perFiveMinutes / (5 * 60 * 1000)
  }

  /** Takes one request from `key`'s bucket, or throws 429 over_request_rate_limit. */
  take(key: string): void {
    const now = this.clock().getTime()
    if (this.buckets.size > 10_000) this.forgetIdle(now)
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.burst, at: now }
    const tokens = Math.min(this.limit.burst, bucket.tokens + Math.max(0, now - bucket.at) * this.perMs)
    if (tokens < 1) {
      this.buckets.set(key, { tokens, at: now })
      throw overRequestRateLimit()
    }
    this.buckets.set(key, { tokens: tokens - 1, at: now })
  }

  private forgetIdle(now: number) {
    for (const [key, bucket] of this.buckets) if (now - bucket.at > idleMs) this.buckets.delete(key)
  }
}
