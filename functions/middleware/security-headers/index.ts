import type { MiddlewareHandler } from 'hono'
import { secureHeaders } from 'hono/secure-headers'
import type { AppEnv } from '../../context.ts'

/**
 * Security headers for a JSON API (OWASP REST Security Cheat Sheet): no
 * sniffing, no framing, no referrer, a CSP that allows nothing (responses are
 * data, never documents), and no caching of per-user data by shared caches.
 * A header a route set itself is kept (`overwrite: false`): the docs page sets
 * its own, looser CSP, which would otherwise be replaced by `default-src 'none'`.
 */
export const securityHeaders = (): MiddlewareHandler<AppEnv> => {
  const headers = secureHeaders({
    contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    strictTransportSecurity: 'max-age=63072000; includeSubDomains',
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    crossOriginResourcePolicy: 'same-site',
    overwrite: false,
  })
  return async function apiSecurityHeaders(c, next) {
    await headers(c, next)
    if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'no-store')
  }
}
