import type { Context } from 'hono'
import { matchedRoutes } from 'hono/route'

/**
 * The route template a request was for (`/api/customers/:id`), whoever answered
 * it: the last matched route that is an endpoint (a method of its own), not a
 * middleware (`use`, method ALL). Middleware registered after an endpoint
 * (requireUser after /health) also matches it, so `routePath(c, -1)` would
 * name `/api/*` for those; and `c.req.routeIndex` names the middleware when
 * one answers (a 401, a preflight). A path no endpoint matches gets the last
 * middleware pattern (`/api/*`): a bounded set of labels whatever the path.
 */
export function routeTemplate(c: Context): string {
  const routes = matchedRoutes(c)
  const endpoint = routes.findLast((route) => route.method !== 'ALL')
  return (endpoint ?? routes.at(-1))?.path ?? ''
}
