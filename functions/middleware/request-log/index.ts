import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../../context.ts'
import { routeTemplate } from '../../http/route-template.ts'

/**
 * One structured line per request: method, route pattern (not the raw path, so
 * ids do not explode log cardinality), status, duration, request id. Headers and
 * bodies are never logged: they carry tokens.
 */
export const requestLog = (): MiddlewareHandler<AppEnv> =>
  async function requestLog(c, next) {
    const started = performance.now()
    await next()
    c.var.deps.log({
      level: c.res.status >= 500 ? 'error' : 'info',
      msg: 'request',
      method: c.req.method,
      route: routeTemplate(c),
      status: c.res.status,
      duration_ms: Math.round((performance.now() - started) * 10) / 10,
      request_id: c.var.requestId,
    })
  }
