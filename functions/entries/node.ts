import type { IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { consoleLog, createApp } from '../app.ts'
import { type ApiConfig, type NodeConfig, nodeConfigSchema, parseConfig } from '../config.ts'
import type { AppDependencies } from '../context.ts'
import type { Database } from '../db/database.ts'
import { createHttpMetrics, metricsEndpoint } from '../middleware/metrics/index.ts'
import { scheduleRunLines } from '../schedules/run-schedule.ts'
import { schedules } from '../schedules/schedules.ts'
import { type ScheduleTimers, startScheduleTimers } from '../schedules/timers.ts'
import { documentStorageFor } from '../storage/document-storage.ts'
import { openConfiguredDatabase } from './node-database.ts'

/**
 * The Node entry: the API on @hono/node-server. Node keeps one process for all
 * requests, so one database pool (or the one embedded PGlite) serves them all.
 * Its composition root is `openNodeRoot`; `startNodeServer` serves it alone
 * (node-main.ts), `npm start` mounts it inside the local stack.
 */
export interface NodeRoot {
  config: NodeConfig
  db: Database
  /** Which database, in words (the password of a URL hidden). */
  where: string
  /** The API under API_BASE_PATH, `GET /metrics` beside it: serve it, or mount it beside other apps. */
  app: Hono
  /** Runs the declared schedules on timers, from now on; stop them before closing the database. */
  startSchedules(): ScheduleTimers
}

/** The Node composition root: the database the config names, the app on it, and its schedules. */
export async function openNodeRoot(config: NodeConfig): Promise<NodeRoot> {
  const log = consoleLog(config.LOG_LEVEL)
  const { db, where } = await openConfiguredDatabase(config)
  return {
    config,
    db,
    where,
    app: createNodeApp({ db, config, log }),
    startSchedules: () =>
      startScheduleTimers({
        schedules,
        context: () => ({ db, storage: documentStorageFor(config), now: new Date() }),
        onRun: (run) => {
          for (const line of scheduleRunLines(run)) log(line)
        },
      }),
  }
}

export interface NodeServer extends ListeningServer {
  root: NodeRoot
}

/**
 * The API alone on Node, configured by `env`: one config parsed (a wrong value
 * stops here, naming it, before anything opens), the root opened, served on
 * PORT/HOST, its schedules started. close() undoes it in reverse.
 */
export async function startNodeServer(env: Record<string, unknown> = process.env): Promise<NodeServer> {
  const root = await openNodeRoot(parseConfig(nodeConfigSchema, env))
  let server: ListeningServer
  try {
    server = await listen(root.app.fetch, { port: root.config.PORT, hostname: root.config.HOST })
  } catch (error) {
    await root.db.close()
    throw error
  }
  const timers = root.startSchedules()
  return {
    url: server.url,
    root,
    async close() {
      await server.close()
      await timers.stop()
      await root.db.close()
    },
  }
}

/**
 * Ctrl-C (SIGINT), SIGTERM or the parent process going away: `close`, then
 * exit 0, or 1 if closing failed. Each is heard once: the other one while
 * closing is ignored, a second Ctrl-C is Node's own (exit at once, for a close
 * that hangs).
 */
export function stopOnSignals(close: () => Promise<void>): void {
  let stopping = false
  const stop = () => {
    if (stopping) return
    stopping = true
    console.log('\nStopping…')
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error)
        process.exit(1)
      },
    )
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  // A process manager stops `npm start` with SIGTERM to npm, which passes it to
  // the shell it ran us in, not to us: the shell goes and we are left running,
  // holding the data folder. A parent that is gone is a stop signal too.
  const parent = process.ppid
  setInterval(() => {
    if (process.ppid !== parent) stop()
  }, 500).unref()
}

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
  /** HTTP upgrades (WebSockets: the local stack's realtime); without it they are refused. */
  onUpgrade?: (request: IncomingMessage, socket: Duplex, head: Buffer) => void
}

/**
 * Serves any fetch handler (the API, or the local stack's app that mounts it
 * beside other services); resolves once listening, rejects if it cannot
 * (EADDRINUSE names the taken port).
 */
export function listen(
  fetch: (request: Request) => Response | Promise<Response>,
  { port, hostname = '127.0.0.1', onUpgrade }: ListenOptions,
): Promise<ListeningServer> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port, hostname }, (info: AddressInfo) => {
      server.off('error', reject)
      if (onUpgrade) server.on('upgrade', onUpgrade)
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
