import type { ServerType } from '@hono/node-server'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { z } from 'zod'
import { type ApiConfig, parseApiConfig } from '../../functions/config.ts'
import type { Database } from '../../functions/db/database.ts'
import { createNodeApp } from '../../functions/entries/node.ts'
import { backfillDailyMetricsAsServiceRole } from '../../functions/jobs/daily-metrics.ts'
import { documentStorageFor } from '../../functions/storage/document-storage.ts'
import { openScriptDatabase, readScriptEnv } from '../db/env.ts'
import { type MigrateResult, migrate } from '../db/migrations.ts'
import { DEFAULT_CUSTOMERS } from '../seed/generate.ts'
import { type SeedResult, seedDatabase } from '../seed/load.ts'
import { buildWeb, type WebBuild } from '../web/build.ts'
import { createLocalAuth } from './auth/index.ts'
import { deriveApiKey, localJwtSecret } from './keys.ts'
import { createLocalRealtime, type LocalRealtime } from './realtime/index.ts'
import { startLocalSchedules } from './schedules.ts'
import { createLocalStorage } from './storage/index.ts'
import { createWebApp } from './web.ts'

const stackEnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Demo customers on first start (the browser suite pages through thousands). */
  SEED_CUSTOMERS: z.coerce.number().int().min(1).max(1_000_000).default(DEFAULT_CUSTOMERS),
})

export interface LocalStack {
  /** The one origin everything is served on, e.g. http://localhost:8787. */
  url: string
  port: number
  config: ApiConfig
  anonKey: string
  serviceRoleKey: string
  db: Database
  /** Which database, in words. */
  where: string
  migrated: MigrateResult
  seeded: SeedResult
  web: WebBuild
  /** Stops serving, then closes the database (PGlite flushes and releases its folder). */
  close(): Promise<void>
}

/**
 * The whole product on one origin, as `npm start` runs it: the database
 * (PGlite in DATA_DIR or DATABASE_URL) migrated and seeded on first run, the
 * API under /api, and the local stand-ins for Supabase's services as their
 * issues land. Every setting comes from `env`; a wrong one stops start-up.
 */
export async function startLocalStack(env: NodeJS.ProcessEnv = process.env): Promise<LocalStack> {
  const scriptEnv = readScriptEnv(env)
  const parsed = stackEnvSchema.safeParse(env)
  if (!parsed.success) {
    throw new Error(
      `Invalid environment:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    )
  }
  const { PORT, HOST, SEED_CUSTOMERS } = parsed.data
  const secret = env.SUPABASE_JWT_SECRET || localJwtSecret

  const { db, where } = await openScriptDatabase(scriptEnv)
  let server: ServerType | undefined
  let openRealtime: LocalRealtime | undefined
  try {
    // The dashboard is built in memory at every start (well under a second), so a
    // checkout never serves a stale build.
    const web = await buildWeb()
    const migrated = await migrate(db)
    const seeded = await seedDatabase(db, { customers: SEED_CUSTOMERS })
    // Fresh demo data comes with half a year of history: give the overview's
    // trend charts that history at once, as a backfill would on a real project.
    if (seeded.status === 'seeded') await backfillDailyMetricsAsServiceRole(db, demoHistory(new Date()))

    const app = new Hono()
    const listening = await listen(app, PORT, HOST)
    server = listening.server
    const url = `http://localhost:${listening.port}`
    const config = parseApiConfig({
      SUPABASE_URL: url,
      SUPABASE_JWT_SECRET: secret,
      CORS_ORIGINS: url,
      ...env,
    })
    const anonKey = config.SUPABASE_ANON_KEY ?? (await deriveApiKey(secret, 'anon'))
    const serviceRoleKey = config.SUPABASE_SERVICE_ROLE_KEY ?? (await deriveApiKey(secret, 'service_role'))
    app.route(
      '/auth/v1',
      createLocalAuth({
        db,
        jwtSecret: config.SUPABASE_JWT_SECRET ?? secret,
        anonKey,
        serviceRoleKey,
        siteUrl: url,
      }),
    )
    app.route(
      '/storage/v1',
      createLocalStorage({
        db,
        jwtSecret: config.SUPABASE_JWT_SECRET ?? secret,
        dataDir: `${scriptEnv.DATA_DIR}/storage`,
      }),
    )
    const realtime = createLocalRealtime({
      db,
      jwtSecret: config.SUPABASE_JWT_SECRET ?? secret,
      anonKey,
      log: (line) => console.error(line),
    })
    await realtime.ready
    openRealtime = realtime
    listening.server.on('upgrade', (req, socket, head) => {
      if (!realtime.handleUpgrade(req, socket, head)) socket.destroy()
    })
    app.route('/realtime/v1', realtime.broadcastApp)
    app.route('/', createNodeApp({ db, config }))
    const schedules = startLocalSchedules(db, (line) => console.error(line), documentStorageFor(config))
    app.route(
      '/',
      createWebApp(web, {
        apiUrl: `${url}${config.API_BASE_PATH}`,
        supabaseUrl: url,
        supabaseAnonKey: anonKey,
      }),
    )

    const openServer = server
    return {
      url,
      port: listening.port,
      config,
      anonKey,
      serviceRoleKey,
      db,
      where,
      migrated,
      seeded,
      web,
      async close() {
        const closing = new Promise<void>((done) => {
          openServer.close(() => done())
          if ('closeAllConnections' in openServer) openServer.closeAllConnections()
        })
        // WebSockets are upgraded connections: the HTTP server does not close them itself.
        await realtime.close()
        await closing
        await schedules.stop()
        await db.close()
      },
    }
  } catch (error) {
    await openRealtime?.close().catch(() => {})
    server?.close()
    await db.close()
    throw error
  }
}

/** Listens before the app has its routes, so the URL (and a random port) is known to build them. */
function listen(app: Hono, port: number, hostname: string): Promise<{ server: ServerType; port: number }> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname }, (info) => {
      server.off('error', reject)
      resolve({ server, port: info.port })
    })
    server.once('error', reject)
  })
}

/** The days the demo data's timeline covers (the seed spreads customers over the last 180 days), up to yesterday. */
function demoHistory(now: Date): { from: string; to: string } {
  const day = (offset: number) => new Date(now.getTime() + offset * 86_400_000).toISOString().slice(0, 10)
  return { from: day(-181), to: day(-1) }
}
