import { type App, consoleLog, createApp } from '../app.ts'
import {
  ConfigError,
  databaseUrlOf,
  parseConfig,
  preparedStatements,
  type WorkerConfig,
  workerConfigSchema,
} from '../config.ts'
import { createPostgresDatabase } from '../db/postgres.ts'
import { runSchedule, scheduleRunLines } from '../schedules/run-schedule.ts'
import { scheduleForCron } from '../schedules/schedules.ts'
import { documentStorageFor } from '../storage/document-storage.ts'
import { requestDatabase } from './request-database.ts'

/**
 * The Cloudflare Workers entry (wrangler.toml `main`). Bindings arrive in `env`:
 * [vars], secrets, and HYPERDRIVE, Cloudflare's pooler in front of Postgres.
 */
export interface WorkerEnv {
  HYPERDRIVE?: { connectionString: string }
  [name: string]: unknown
}

/** The part of Cloudflare's ExecutionContext we use. */
export interface WorkerContext {
  waitUntil(promise: Promise<unknown>): void
}

export interface ScheduledEvent {
  cron: string
  scheduledTime: number
}

interface Isolate {
  app: App
  config: WorkerConfig
  databaseUrl: string
  bind: ReturnType<typeof requestDatabase>['run']
}

let isolate: Isolate | undefined

/** Built on the first event an isolate serves: the config, the app, its routes, the JWKS cache. */
function isolateFor(env: WorkerEnv): Isolate {
  if (isolate) return isolate
  const config = parseConfig(workerConfigSchema, env)
  const databaseUrl = env.HYPERDRIVE?.connectionString ?? databaseUrlOf(config)
  if (!databaseUrl) {
    throw new ConfigError([
      'HYPERDRIVE: bind a Hyperdrive configuration, or set DATABASE_URL (a Worker cannot use the embedded database)',
    ])
  }
  const { db, run } = requestDatabase()
  isolate = { app: createApp({ db, config }), config, databaseUrl, bind: run }
  return isolate
}

/**
 * A postgres.js client for one request, as Cloudflare advises for Hyperdrive
 * (which keeps the real pool, so a new client is cheap): at most 5 connections
 * (Workers allow 6 open at once per request), and no array-type lookup, which
 * would cost a round trip on every new connection. It connects on first use,
 * so requests that never query (health, docs, 401s) open nothing.
 */
function openRequestDatabase({ databaseUrl, config }: Isolate) {
  return createPostgresDatabase(databaseUrl, {
    max: 5,
    prepare: preparedStatements(config, true),
    fetchTypes: false,
  })
}

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: WorkerContext): Promise<Response> {
    const current = isolateFor(env)
    const db = openRequestDatabase(current)
    // Work the app runs after its response (webhook processing) still needs this
    // request's client: close it only once all of that has settled.
    const afterResponse: Promise<unknown>[] = []
    const requestCtx = {
      ...ctx,
      waitUntil(promise: Promise<unknown>) {
        afterResponse.push(promise)
        ctx.waitUntil(promise)
      },
      passThroughOnException() {},
    }
    try {
      return await current.bind(db, () =>
        current.app.fetch(request, env, requestCtx as Parameters<App['fetch']>[2]),
      )
    } finally {
      ctx.waitUntil(
        (async () => {
          while (afterResponse.length > 0) await Promise.allSettled(afterResponse.splice(0))
          await db.close()
        })(),
      )
    }
  },

  /**
   * wrangler.toml's crons: each fires the schedule declared with that cron
   * (functions/schedules/schedules.ts), one JSON log line per job. A failed
   * job is recorded (job_runs) and the event then fails, so Cloudflare's cron
   * log shows it too; a cron no schedule declares fails at once, naming it.
   */
  async scheduled(event: ScheduledEvent, env: WorkerEnv, _ctx: WorkerContext): Promise<void> {
    const current = isolateFor(env)
    const schedule = scheduleForCron(event.cron)
    const db = openRequestDatabase(current)
    try {
      const run = await runSchedule(schedule, {
        db,
        storage: documentStorageFor(current.config),
        now: new Date(),
      })
      const log = consoleLog(current.config.LOG_LEVEL)
      for (const line of scheduleRunLines(run)) log({ ...line, cron: event.cron })
      if (run.failed.length > 0)
        throw new Error(
          `${schedule.name}: ${run.failed.map((j) => `${j.job} failed (${j.error})`).join('; ')}`,
        )
    } finally {
      await db.close()
    }
  },
}
