import { OpenAPIHono } from '@hono/zod-openapi'
import { logLevels } from './config.ts'
import type { AppDependencies, AppEnv } from './context.ts'
import { requireUser } from './middleware/auth/index.ts'
import { createTokenVerifier } from './middleware/auth/verify-token.ts'
import { bodyLimit } from './middleware/body-limit/index.ts'
import { cors } from './middleware/cors/index.ts'
import { type HttpMetrics, httpMetrics } from './middleware/metrics/index.ts'
import { requestId } from './middleware/request-id/index.ts'
import { requestLog } from './middleware/request-log/index.ts'
import { requestTimeout } from './middleware/request-timeout/index.ts'
import { securityHeaders } from './middleware/security-headers/index.ts'
import { docsPage, docsPageCsp } from './openapi/docs-page.ts'
import { onError } from './problems/on-error.ts'
import { problemResponse, problems } from './problems/problem.ts'
import { healthRouter } from './routes/health/health.index.ts'
import { userRouters } from './routes/index.ts'
import { isImportPath } from './routes/transfer/import-body-limit.ts'
import { jobsRouter } from './schedules/schedules.index.ts'
import { webhooksRouter } from './webhooks/webhooks.index.ts'

export interface AppOptions {
  /** Where to count requests and their latency (the Node entry's /metrics); none elsewhere. */
  metrics?: HttpMetrics
}

/**
 * The whole API, built from its dependencies so every runtime entry (Node,
 * Workers, Deno) and every test builds the same app.
 */
export function createApp(dependencies: AppDependencies, options: AppOptions = {}) {
  const deps: Required<AppDependencies> = {
    clock: () => new Date(),
    log: consoleLog(dependencies.config.LOG_LEVEL),
    ...dependencies,
  }
  const { config } = deps
  const verifyToken = createTokenVerifier({
    secret: config.SUPABASE_JWT_SECRET,
    jwksUrl: config.SUPABASE_JWKS_URL,
    issuer: config.SUPABASE_JWT_ISSUER,
    clock: deps.clock,
  })

  const api = new OpenAPIHono<AppEnv>().basePath(config.API_BASE_PATH)
  // First, so its timing covers every other middleware.
  if (options.metrics) api.use('*', httpMetrics(options.metrics))
  api.use('*', async function provideDependencies(c, next) {
    c.set('deps', deps)
    await next()
  })
  api.use(
    '*',
    requestId(),
    requestLog(),
    securityHeaders(),
    cors(config.CORS_ORIGINS),
    // Inside the request id, log and CORS, so the 503 is logged and carries their headers.
    requestTimeout({
      ms: config.REQUEST_TIMEOUT_MS,
      longer: { matches: isImportPath, ms: config.IMPORT_TIMEOUT_MS },
    }),
    // Not on the imports: they take whole files and set IMPORT_BODY_LIMIT_BYTES themselves.
    bodyLimit(config.BODY_LIMIT_BYTES, { skip: isImportPath }),
  )
  api.route('/', healthRouter)

  api.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'A Supabase Auth access token',
  })
  const documentConfig = {
    openapi: '3.1.0',
    info: {
      title: 'Sales dashboard API',
      version: '1.0.0',
      description:
        'REST over Row Level Security: every request runs as its caller. Errors are RFC 9457 problems.',
    },
    // The paths already carry the base path (the routes are registered under it):
    // a server URL of the base path too would send clients to /api/api/….
    servers: [{ url: '/' }],
  }
  api.doc31('/openapi.json', documentConfig)
  // Rendered once, on the first request (every route is registered by then).
  let reference: string | undefined
  api.get('/docs', (c) => {
    reference ??= docsPage(api.getOpenAPI31Document(documentConfig), `${config.API_BASE_PATH}/openapi.json`)
    c.header('Content-Security-Policy', docsPageCsp)
    return c.html(reference)
  })

  api.route('/', jobsRouter)
  api.route('/', webhooksRouter)
  api.use('*', requireUser(verifyToken))
  for (const router of userRouters) api.route('/', router)

  api.notFound((c) => problemResponse(c, problems.notFound('route')))
  api.onError(onError)
  return api
}

export type App = ReturnType<typeof createApp>

/** One JSON line per entry on stdout, from `minimum` severity up (a line without `level` counts as info). */
export function consoleLog(minimum: (typeof logLevels)[number]) {
  const threshold = logLevels.indexOf(minimum)
  return (line: Record<string, unknown>) => {
    const level = logLevels.indexOf((line.level as (typeof logLevels)[number]) ?? 'info')
    if (level >= threshold && minimum !== 'silent') {
      console.log(JSON.stringify({ time: new Date().toISOString(), ...line }))
    }
  }
}
