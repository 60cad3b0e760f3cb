import type { Context, MiddlewareHandler } from 'hono'
import { routeTemplate } from '../../http/route-template.ts'
import { problemResponse, problems } from '../../problems/problem.ts'
import { expositionContentType, type HttpMetrics } from './registry.ts'

export { createHttpMetrics, type HttpMetrics } from './registry.ts'

/**
 * Counts every request and times it, labelled by method, route template and
 * status class. Put it first, so the time covers the other middleware too.
 * The route is the matched endpoint's pattern (`/api/customers/:id`, see
 * functions/http/route-template.ts); a path no endpoint matches counts under `/api/*`.
 */
export const httpMetrics = (metrics: HttpMetrics): MiddlewareHandler =>
  async function httpMetrics(c, next) {
    const ended = metrics.started()
    const started = performance.now()
    let failed = true
    try {
      await next()
      failed = false
    } finally {
      ended()
      metrics.observe({
        method: c.req.method,
        route: routeTemplate(c),
        // The app's error handler turns errors into responses, so this is only for one that escaped it.
        status: failed ? 500 : c.res.status,
        seconds: (performance.now() - started) / 1000,
      })
    }
  }

export interface MetricsEndpointOptions {
  /** When set, scrapes must send `Authorization: Bearer <token>` (METRICS_TOKEN). */
  token?: string | undefined
}

/** GET /metrics: the exposition for a Prometheus scrape (Node entry only: one process, one registry). */
export const metricsEndpoint = (metrics: HttpMetrics, { token }: MetricsEndpointOptions = {}) =>
  function metricsEndpoint(c: Context): Response {
    if (token && !bearerMatches(c.req.header('Authorization'), token)) {
      return problemResponse(c, problems.unauthorized('Send Authorization: Bearer <METRICS_TOKEN>.'))
    }
    return c.body(metrics.render(), 200, {
      'Content-Type': expositionContentType,
      'Cache-Control': 'no-store',
    })
  }

/** RFC 6750 bearer check, comparing in constant time so the token cannot be guessed byte by byte. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const sent = new TextEncoder().encode(/^Bearer (\S+)$/i.exec(header?.trim() ?? '')?.[1] ?? '')
  const expected = new TextEncoder().encode(token)
  let difference = sent.length ^ expected.length
  for (let i = 0; i < expected.length; i++) difference |= (sent[i] ?? 0) ^ (expected[i] as number)
  return difference === 0
}
