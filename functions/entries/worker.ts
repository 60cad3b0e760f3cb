import { type App, createApp } from '../app.ts'
import { type ApiConfig, ConfigError, databaseUrlOf, parseApiConfig } from '../config.ts'
import { createPostgresDatabase } from '../db/postgres.ts'
import { runNightlyMetricsAsServiceRole } from '../jobs/daily-metrics.ts'
import { cleanUpAbandonedUploadsAsServiceRole } from '../storage/abandoned-uploads.ts'
import { documentStorageFor } from '../storage/document-storage.ts'
import { processPendingWebhookEvents } from '../webhooks/retry.ts'
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
  config: ApiConfig
  databaseUrl: string
  bind: ReturnType<typeof requestDatabase>['run']
}

/** wrangler.toml's frequent cron: webhook retries only; any other cron is the nightly run. */
const webhookRetryCron = '*/5 * * * *'

let isolate: Isolate | undefined

/** Built on the first event an isolate serves: the config, the app, its routes, the JWKS cache. */
function isolateFor(env: WorkerEnv): Isolate {
  if (isolate) return isolate
  const config = parseApiConfig(env)
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
  return createPostgresDatabase(databaseUrl, { max: 5, prepare: config.DB_PREPARE, fetchTypes: false })
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
   * The cron in wrangler.toml ([triggers]): the nightly metrics, catching up on
   * missed days (functions/jobs/). A failed run is recorded in job_runs and
   * rethrown, so Cloudflare's cron log shows it too.
   */
  async scheduled(event: ScheduledEvent, env: WorkerEnv, _ctx: WorkerContext): Promise<void> {
    const db = openRequestDatabase(isolateFor(env))
    const log = (line: Record<string, unknown>) =>
      console.log(
        JSON.stringify({ time: new Date().toISOString(), event: 'scheduled', cron: event.cron, ...line }),
      )
    try {
      // Every cron retries webhook deliveries that are pending or due (the retry path:
      // nothing a crash or a failed attempt left behind waits longer than one period).
      const retried = await processPendingWebhookEvents(db)
      log({ outcome: 'succeeded', job: 'webhook-retries', ...retried })
      if (event.cron === webhookRetryCron) return
      const run = await runNightlyMetricsAsServiceRole(db)
      log({ outcome: run.status, job: run.job, run_id: run.id, rows: run.rows })
      const storage = documentStorageFor(isolateFor(env).config)
      if (storage) {
        const cleanup = await cleanUpAbandonedUploadsAsServiceRole(db, storage)
        log({ outcome: cleanup.status, job: cleanup.job, run_id: cleanup.id, rows: cleanup.rows })
      }
    } catch (error) {
      log({ outcome: 'failed', error: error instanceof Error ? error.message : String(error) })
      throw error
    } finally {
      await db.close()
    }
  },
}
