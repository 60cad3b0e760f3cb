import { Hono } from 'hono'
import type { Database } from '../../../functions/db/database.ts'
import { requireApiKey } from './api-key.ts'
import type { LocalAuthContext } from './context.ts'
import { AuthError, authErrorResponse, unexpectedFailure } from './errors.ts'
import { logout } from './logout.ts'
import { passwordGrant } from './password-grant.ts'
import { refreshTokenGrant } from './refresh-grant.ts'
import { getUser } from './user.ts'

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
}

/**
 * A stand-in for Supabase Auth (GoTrue) at `/auth/v1`, for what the dashboard
 * uses: password sign-in, refresh with rotation, the current user, sign-out.
 * Same paths, JSON and error codes as GoTrue, against auth.users and GoTrue's
 * own auth.sessions and auth.refresh_tokens, so `@supabase/supabase-js` works
 * unchanged. docs/local-stack.md lists what is left out.
 */
export function createLocalAuth(options: LocalAuthOptions): Hono {
  const auth: LocalAuthContext = {
    db: options.db,
    tokens: {
      secret: new TextEncoder().encode(options.jwtSecret),
      issuer: `${options.siteUrl.replace(/\/+$/, '')}/auth/v1`,
      expiresIn: options.expiresIn ?? 3600,
    },
    reuseInterval: options.refreshTokenReuseInterval ?? 10,
    audience: 'authenticated',
    clock: options.clock ?? (() => new Date()),
  }
  const log = options.log ?? ((error: unknown) => console.error('local auth:', error))

  const app = new Hono()
  app.onError((error, c) => {
    if (error instanceof AuthError) return authErrorResponse(c, error)
    log(error)
    return authErrorResponse(c, unexpectedFailure())
  })
  app.use('*', requireApiKey([options.anonKey, options.serviceRoleKey]))

  app.post('/token', (c) => {
    const grantType = c.req.query('grant_type')
    if (grantType === 'password') return passwordGrant(c, auth)
    if (grantType === 'refresh_token') return refreshTokenGrant(c, auth)
    // GoTrue's answer to any other grant (id_token, pkce, web3 are not implemented here).
    throw new AuthError(400, 'invalid_credentials', 'unsupported_grant_type')
  })
  app.get('/user', (c) => getUser(c, auth))
  app.post('/logout', (c) => logout(c, auth))
  // chi's default, as GoTrue answers a path it does not serve; ends the chain inside /auth/v1.
  app.all('*', (c) => c.text('404 page not found', 404))
  return app
}
