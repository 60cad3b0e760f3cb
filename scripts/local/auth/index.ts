import { Hono } from 'hono'
import type { Database } from '../../../functions/db/database.ts'
import { requireApiKey } from './api-key.ts'
import type { LocalAuthContext, LocalMail } from './context.ts'
import { rateLimitAddressOf } from './context.ts'
import { AuthError, authErrorResponse, unexpectedFailure } from './errors.ts'
import { invite } from './invite.ts'
import { logout } from './logout.ts'
import { passwordGrant } from './password-grant.ts'
import { defaultAddressLimit, defaultEmailLimit, type RateLimit, RateLimiter } from './rate-limit.ts'
import { refreshTokenGrant } from './refresh-grant.ts'
import { getUser, updateUser } from './user.ts'
import { verify } from './verify.ts'

export interface LocalAuthOptions {
  db: Database
  /** The project's JWT secret (HS256): what the API verifies tokens with. */
  jwtSecret: string
  anonKey: string
  serviceRoleKey: string
  /** The origin the stack is served on; tokens are issued by `<siteUrl>/auth/v1`. */
  siteUrl: string
  /** Access token lifetime in seconds; GoTrue's default is an hour. */
  expiresIn?: number
  /** Seconds a revoked refresh token may still be used (concurrent refreshes); GoTrue's default is 10. */
  refreshTokenReuseInterval?: number
  clock?: () => Date
  /** Where unexpected errors go; they answer 500 without details. */
  log?: (error: unknown) => void
  /**
   * Where emails go (there is no mail server): the invite link of POST /invite.
   * By default one line on stderr, the stack's log.
   */
  mail?: (message: LocalMail) => void
  /**
   * Sign-in limits, as GoTrue answers them (429 over_request_rate_limit): POST
   * /token per client address (GoTrue's default: bursts of 30, 150 per five
   * minutes) and password attempts per email address (30, 30). `false` turns
   * one off.
   */
  rateLimits?: { perAddress?: RateLimit | false; perEmail?: RateLimit | false }
  /**
   * GoTrue's RATE_LIMIT_HEADER: behind a proxy you trust, the header naming the
   * client (e.g. X-Forwarded-For, first value). Unset: the connection's peer.
   */
  rateLimitHeader?: string
}

/**
 * A stand-in for Supabase Auth (GoTrue) at `/auth/v1`, for what the product
 * uses: password sign-in (rate limited), refresh with rotation, the current
 * user and setting a password, sign-out, and inviting (the service role's
 * invite, the emailed link's verification).
 * Same paths, JSON and error codes as GoTrue, against auth.users and GoTrue's
 * own auth.sessions and auth.refresh_tokens, so `@supabase/supabase-js` works
 * unchanged. docs/local-stack.md lists what is left out.
 */
export function createLocalAuth(options: LocalAuthOptions): Hono {
  const clock = options.clock ?? (() => new Date())
  const siteUrl = options.siteUrl.replace(/\/+$/, '')
  const limit = (setting: RateLimit | false | undefined, fallback: RateLimit) =>
    setting === false ? undefined : new RateLimiter(setting ?? fallback, clock)
  const auth: LocalAuthContext = {
    db: options.db,
    tokens: {
      secret: new TextEncoder().encode(options.jwtSecret),
      issuer: `${siteUrl}/auth/v1`,
      expiresIn: options.expiresIn ?? 3600,
    },
    reuseInterval: options.refreshTokenReuseInterval ?? 10,
    audience: 'authenticated',
    clock,
    siteUrl,
    emailLinkExpiresIn: 86_400,
    mail: options.mail ?? ((m) => console.error(`local auth: ${m.type} email to ${m.to}: ${m.link}`)),
    limits: {
      address: limit(options.rateLimits?.perAddress, defaultAddressLimit),
      email: limit(options.rateLimits?.perEmail, defaultEmailLimit),
      addressHeader: options.rateLimitHeader,
    },
  }
  const log = options.log ?? ((error: unknown) => console.error('local auth:', error))

  const app = new Hono()
  app.onError((error, c) => {
    if (error instanceof AuthError) return authErrorResponse(c, error)
    log(error)
    return authErrorResponse(c, unexpectedFailure())
  })
  // Open at the gateway (Kong's auth-v1-open route): the emailed link is followed by a browser without a key.
  app.get('/verify', (c) => verify(c, auth))
  app.post('/verify', (c) => verify(c, auth))
  app.use('*', requireApiKey([options.anonKey, options.serviceRoleKey]))

  app.post('/token', (c) => {
    const grantType = c.req.query('grant_type')
    if (grantType === 'password' || grantType === 'refresh_token') {
      // GoTrue limits every grant it serves before reading the request (api.Token).
      const address = rateLimitAddressOf(c, auth.limits.addressHeader)
      if (address) auth.limits.address?.take(address)
    }
    if (grantType === 'password') return passwordGrant(c, auth)
    if (grantType === 'refresh_token') return refreshTokenGrant(c, auth)
    // GoTrue's answer to any other grant (id_token, pkce, web3 are not implemented here).
    throw new AuthError(400, 'invalid_credentials', 'unsupported_grant_type')
  })
  app.get('/user', (c) => getUser(c, auth))
  app.put('/user', (c) => updateUser(c, auth))
  app.post('/invite', (c) => invite(c, auth))
  app.post('/logout', (c) => logout(c, auth))
  // chi's default, as GoTrue answers a path it does not serve; ends the chain inside /auth/v1.
  app.all('*', (c) => c.text('404 page not found', 404))
  return app
}
