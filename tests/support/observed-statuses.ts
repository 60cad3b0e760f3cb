import type { HttpMetrics } from '../../functions/middleware/metrics/index.ts'

/** `GET /api/customers/{id} 304`: one answer the API gave (or declares), in OpenAPI's path form. */
export type StatusPair = `${string} ${string} ${number}`

const methods = ['get', 'put', 'post', 'delete', 'patch'] as const

export interface OpenApiPaths {
  servers?: { url: string }[]
  paths: Record<string, Partial<Record<string, { responses?: Record<string, unknown> }>>>
}

/** Hono's `/orgs/:orgId{[0-9a-f-]+}/customers` and OpenAPI's `/orgs/{orgId}/customers`, as one form. */
export const honoToOpenApi = (path: string) => path.replace(/:(\w+)(\{[^}]*\})?\??/g, '{$1}')

/**
 * The (method, route template, status) of every request an app answers, read
 * through the app's own metrics hook (functions/middleware/metrics): the same
 * route template production counts under, with nothing added to the app for
 * tests. Requests no endpoint answers are left out: a CORS preflight (OPTIONS,
 * answered by middleware), a path no route matches (`/api/*`, the app's 404),
 * and the document and docs page, which do not describe themselves.
 */
export function createStatusRecorder(basePath = '/api') {
  const observed = new Set<StatusPair>()
  const own = new Set([`${basePath}/openapi.json`, `${basePath}/docs`])
  const metrics: HttpMetrics = {
    started: () => () => {},
    observe({ method, route, status }) {
      if (method === 'OPTIONS' || route.endsWith('*') || own.has(route)) return
      // Hono answers HEAD with the GET route, without the body.
      const asDeclared = method === 'HEAD' ? 'GET' : method
      observed.add(`${asDeclared} ${honoToOpenApi(route)} ${status}`)
    },
    render: () => '',
  }
  return { metrics, observed }
}

/** Every (method, path, status) the document declares, its paths resolved against its server URL. */
export function declaredStatuses(doc: OpenApiPaths): Set<StatusPair> {
  const server = (doc.servers?.[0]?.url ?? '/').replace(/\/$/, '')
  const declared = new Set<StatusPair>()
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of methods) {
      for (const status of Object.keys(item[method]?.responses ?? {})) {
        declared.add(`${method.toUpperCase()} ${server}${path} ${Number(status)}`)
      }
    }
  }
  return declared
}

/** The observed answers the document does not declare, sorted: what a failing check lists. */
export function undeclaredStatuses(observed: Iterable<StatusPair>, doc: OpenApiPaths): StatusPair[] {
  const declared = declaredStatuses(doc)
  return [...new Set(observed)].filter((pair) => !declared.has(pair)).sort()
}
