import { Hono } from 'hono'
import { compress } from 'hono/compress'
import { cors } from 'hono/cors'
import { z } from 'zod'
import { type NodeConfig, nodeConfigSchema, parseConfig } from '../../functions/config.ts'
import type { Database } from '../../functions/db/database.ts'
import { listen, type NodeRoot, openNodeRoot } from '../../functions/entries/node.ts'
import type { ScheduleTimers } from '../../functions/schedules/timers.ts'
import { type MigrateResult, migrate } from '../db/migrations.ts'
import { DEFAULT_CUSTOMERS } from '../seed/generate.ts'
import { type SeedResult, seedDatabase } from '../seed/load.ts'
import { backfillDemoHistory } from '../seed/pipeline-history.ts'
import { buildWeb, type WebBuild } from '../web/build.ts'
import { createLocalAuth } from './auth/index.ts'
import { deriveApiKey, localJwtSecret } from './keys.ts'
import { createLocalRealtime, type LocalRealtime } from './realtime/index.ts'
import { createLocalStorage } from './storage/index.ts'
import { createWebApp } from './web.ts'

/** The Node root's settings and the stack's own: one schema, parsed once. */
const localStackConfigSchema = nodeConfigSchema.safeExtend({
  /** Demo customers on first start (the browser suite pages through thousands). */
  SEED_CUSTOMERS: z.coerce.number().int().min(1).max(1_000_000).default(DEFAULT_CUSTOMERS),
})

export type LocalStackConfig = z.infer<typeof localStackConfigSchema>

/**
 * The stack's environment: as the Node root reads it, where unset the JWT
 * secret is the Supabase CLI's local one, and the project URL and the allowed
 * origin are the stack's own (known once it listens: PORT may be 0).
 */
export function parseLocalStackConfig(env: NodeJS.ProcessEnv): LocalStackConfig {
  return parseConfig(localStackConfigSchema, {
    ...env,
    SUPABASE_JWT_SECRET: env.SUPABASE_JWT_SECRET || localJwtSecret,
  })
}

/** The config completed with the stack's origin where the environment named none. */
function servedAt(config: LocalStackConfig, url: string, env: NodeJS.ProcessEnv): LocalStackConfig {
  return {
    ...config,
    SUPABASE_URL: config.SUPABASE_URL ?? url,
    // The dashboard it serves calls it on its own origin (relative URLs), wherever
    // it was opened: CORS is for a dashboard hosted elsewhere, and by default that
    // is this stack's own port on the loopback names.
    CORS_ORIGINS: env.CORS_ORIGINS ? config.CORS_ORIGINS : loopbackOrigins(url),
  }
}

/** The stack's origin under the names a browser on this machine may use for it. */
function loopbackOrigins(url: string): string[] {
  const { protocol, port } = new URL(url)
  return ['localhost', '127.0.0.1', '[::1]'].map((host) => `${protocol}//${host}:${port}`)
}

export interface LocalStack {
  /** The one origin everything is served on, e.g. http://localhost:8787. */
  url: string
  port: number
  config: NodeConfig
  anonKey: string
  serviceRoleKey: string
  db: Database
  /** Which database, in words. */
  where: string
  migrated: MigrateResult
  seeded: SeedResult
  web: WebBuild
  /** Stops serving and the schedules, then closes the database (PGlite flushes and releases its folder). */
  close(): Promise<void>
}

/**
 * The whole product on one origin, as `npm start` runs it: the Node root
 * (functions/entries/node.ts: its database, the API under /api, its schedules)
 * with the local stand-ins for Supabase's services around it, the database
 * migrated and seeded on first run, and the dashboard. Every setting comes
 * from `env`; a wrong one stops start-up before anything opens.
 */
export async function startLocalStack(env: NodeJS.ProcessEnv = process.env): Promise<LocalStack> {
  const parsed = parseLocalStackConfig(env)
  const app = new Hono()
  // What a browser accepts compressed goes out compressed (gzip: the dashboard's
  // main.js is 220 KB as built, 57 KB so); as a CDN, Workers or Supabase's gateway
  // would do in front of a deployment.
  app.use(compress())
  // Listening first, with no routes yet: a random port (PORT=0) is then known for the URLs below.
  let upgrade: LocalRealtime['handleUpgrade'] | undefined
  const server = await listen(app.fetch, {
    port: parsed.PORT,
    hostname: parsed.HOST,
    onUpgrade: (req, socket, head) => {
      if (!upgrade?.(req, socket, head)) socket.destroy()
    },
  })
  const port = Number(new URL(server.url).port)
  const url = `http://localhost:${port}`
  const config = servedAt(parsed, url, env)
  const jwtSecret = config.SUPABASE_JWT_SECRET as string

  let root: NodeRoot | undefined
  let realtime: LocalRealtime | undefined
  let schedules: ScheduleTimers | undefined
  try {
    root = await openNodeRoot(config)
    const { db } = root
    // The dashboard is built in memory at every start (well under a second), so a
    // checkout never serves a stale build.
    const web = await buildWeb()
    const migrated = await migrate(db)
    const seeded = await seedDatabase(db, { customers: config.SEED_CUSTOMERS })
    if (seeded.status === 'seeded') await backfillDemoHistory(db)

    const anonKey = config.SUPABASE_ANON_KEY ?? (await deriveApiKey(jwtSecret, 'anon'))
    const serviceRoleKey = config.SUPABASE_SERVICE_ROLE_KEY ?? (await deriveApiKey(jwtSecret, 'service_role'))
    // Supabase answers Auth and Storage with open CORS (tokens, not cookies, carry
    // the caller); so do the stand-ins, so a page opened at another name of this
    // stack (127.0.0.1 instead of localhost) can PUT to the signed upload URLs the API
    // hands out, which name SUPABASE_URL.
    app.use('/auth/v1/*', cors())
    app.use('/storage/v1/*', cors())
    app.route('/auth/v1', createLocalAuth({ db, jwtSecret, anonKey, serviceRoleKey, siteUrl: url }))
    app.route('/storage/v1', createLocalStorage({ db, jwtSecret, dataDir: `${config.DATA_DIR}/storage` }))
    realtime = createLocalRealtime({ db, jwtSecret, anonKey, log: (line) => console.error(line) })
    await realtime.ready
    const joined = realtime
    upgrade = (req, socket, head) => joined.handleUpgrade(req, socket, head)
    app.route('/realtime/v1', realtime.broadcastApp)
    app.route('/', root.app)
    app.route(
      '/',
      createWebApp(
        web,
        {
          // Paths on whichever address the page was opened at (the dashboard resolves
          // them), unless the operator named another Supabase.
          apiUrl: config.API_BASE_PATH,
          supabaseUrl: parsed.SUPABASE_URL ?? '/',
          supabaseAnonKey: anonKey,
        },
        { alsoConnectTo: [config.SUPABASE_URL ?? url] },
      ),
    )
    schedules = root.startSchedules()

    const [openRealtime, openSchedules] = [realtime, schedules]
    return {
      url,
      port,
      config,
      anonKey,
      serviceRoleKey,
      db,
      where: root.where,
      migrated,
      seeded,
      web,
      async close() {
        // WebSockets are upgraded connections: the HTTP server does not close them itself.
        await openRealtime.close()
        await server.close()
        await openSchedules.stop()
        await db.close()
      },
    }
  } catch (error) {
    await realtime?.close().catch(() => {})
    await schedules?.stop()
    await server.close().catch(() => {})
    await root?.db.close()
    throw error
  }
}
