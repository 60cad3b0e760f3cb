import type { MiddlewareHandler } from 'hono'
import { cors as honoCors } from 'hono/cors'
import type { AppEnv } from '../../context.ts'

/**
 * CORS for the dashboard's origins only (CORS_ORIGINS). Browsers on any other
 * origin get no Access-Control-Allow-Origin, so they cannot read responses.
 * `*` in the list allows any origin (tokens are bearer, not cookies, so this
 * is safe for a public API, but it is not the default).
 */
export const cors = (allowedOrigins: readonly string[]): MiddlewareHandler<AppEnv> =>
  honoCors({
    origin: (origin) => (allowedOrigins.includes('*') || allowedOrigins.includes(origin) ? origin : null),
    allowMethods: ['GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS'],
    allowHeaders: [
      'Authorization',
      'Content-Type',
      'If-Match',
      'If-None-Match',
      'Idempotency-Key',
      'X-Request-Id',
    ],
    exposeHeaders: ['ETag', 'X-Request-Id', 'Location', 'Idempotent-Replayed', 'Retry-After'],
    maxAge: 600,
  }) as MiddlewareHandler<AppEnv>
