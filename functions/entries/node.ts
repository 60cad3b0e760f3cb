import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { createApp } from '../app.ts'
import type { ApiConfig } from '../config.ts'
import type { AppDependencies } from '../context.ts'
import type { Database } from '../db/database.ts'
import { createHttpMetrics, metricsEndpoint } from '../middleware/metrics/index.ts'

/**
 * The Node entry: the API on @hono/node-server. Node keeps one process for all
 * requests, so one database pool (or the one embedded PGlite) serves them all.
 */
export interface ListeningServer {
  /** Where it listens, e.g. http://127.0.0.1:8787 (no base path). */
  url: string
  /** Stops accepting requests and waits for open ones; the database stays open (its owner closes it). */
  close(): Promise<void>
}

export interface ListenOptions {
  /** 0 picks a free port. */
  port: number
  hostname?: string
}

/**
 * Serves any fetch handler (the API, or the local stack's app that mounts it
 * beside other services); resolves once listening, rejects if it cannot
 * (EADDRINUSE names the taken port).
 */
export function listen(
  fetch: (request: Request) => Response | Promise<Response>,
  { port, hostname = '127.0.0.1' }: ListenOptions,
): Promise<ListeningServer> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port, hostname }, (info: AddressInfo) => {
      server.off('error', reject)
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address
      resolve({
        url: `http://${host}:${info.port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()))
            // Idle keep-alive sockets would hold close() open until they time out.
            if ('closeIdleConnections' in server) server.closeIdleConnections()
          }),
      })
    })
    server.once('error', reject)
  })
}

export interface NodeAppDependencies extends Pick<AppDependencies, 'clock' | 'log'> {
  db: Database
  config: ApiConfig
}

/**
 * The API under config.API_BASE_PATH plus `GET /metrics` (Prometheus) at the
 * root. Only here: a Node process lives long and serves every request, so its
 * in-memory counts mean something; a Worker or Edge isolate holds a slice.
 */
export function createNodeApp(dependencies: NodeAppDependencies) {
  const metrics = createHttpMetrics()
  return new Hono()
    .get('/metrics', metricsEndpoint(metrics, { token: dependencies.config.METRICS_TOKEN }))
    .route('/', createApp(dependencies, { metrics }))
}

export interface StartApiServerOptions extends NodeAppDependencies, ListenOptions {}

/** The API alone on a port, under config.API_BASE_PATH, with /metrics beside it. */
export function startApiServer({ port, hostname, ...dependencies }: StartApiServerOptions) {
  return listen(createNodeApp(dependencies).fetch, { port, hostname })
}

/** porsager/postgres#1208: a connection killed mid-transaction throws this from a timer (fix proposed in #1209). */
export const postgresDriverBugUrl = 'https://github.com/porsager/postgres/issues/1208'

/**
 * True for exactly the known postgres.js 3.4.x error: its ROLLBACK after a lost
 * backend writes to a socket it has already dropped (`nextWrite` in
 * connection.js). Anything else, even the same message from elsewhere, is not it.
 */
export function isKnownDriverError(error: unknown): boolean {
  return (
    error instanceof TypeError &&
    error.message === "Cannot read properties of null (reading 'write')" &&
    /[\\/]node_modules[\\/]postgres[\\/](?:cjs[\\/]|cf[\\/])?src[\\/]connection\.js:/.test(
      (error.stack ?? '').split('\n')[1] ?? '',
    )
  )
}

export interface ProcessGuardOptions {
  /** One JSON line per event (stdout). */
  log?: (line: Record<string, unknown>) => void
  exit?: (code: number) => void
}

/**
 * The `uncaughtException` listener of a Node server. The known driver error
 * is logged (`event: 'db_driver_error'`) and the process serves on: the one
 * pooled connection it wedges never answers again, and the requests waiting
 * on it get the request timeout's 503 instead of taking every other request
 * down with the process. Anything else is logged and exits with 1, as Node
 * would (unhandled rejections arrive here too, Node 15+).
 */
export function uncaughtExceptionHandler({
  log = (line) => console.log(JSON.stringify({ time: new Date().toISOString(), ...line })),
  exit = (code) => process.exit(code),
}: ProcessGuardOptions = {}) {
  return function onUncaughtException(error: unknown, origin?: string) {
    if (isKnownDriverError(error)) {
      log({
        level: 'error',
        event: 'db_driver_error',
        msg: 'postgres.js lost a pooled connection mid-transaction; that connection is wedged, the process serves on',
        issue: postgresDriverBugUrl,
      })
      return
    }
    const described =
      error instanceof Error
        ? { name: error.name, message: error.message, stack: error.stack }
        : String(error)
    log({ level: 'fatal', event: 'uncaught_exception', origin, error: described })
    exit(1)
  }
}

/** Installs the listener on this process (servers only, not tests); returns its removal. */
export function guardProcess(options: ProcessGuardOptions = {}): () => void {
  const listener = uncaughtExceptionHandler(options)
  process.on('uncaughtException', listener)
  return () => process.off('uncaughtException', listener)
}
