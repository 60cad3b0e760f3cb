// npm start — the product on one machine: migrate, seed demo data on first
// run, serve the API (and, as their issues land, the dashboard, auth, storage
// and realtime stand-ins) on one origin. Ctrl-C closes the database cleanly.
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { SignJWT } from 'jose'
import { z } from 'zod'
import { createApp } from '../functions/app.ts'
import { parseApiConfig } from '../functions/config.ts'
import { openScriptDatabase, readScriptEnv } from './db/env.ts'
import { migrate } from './db/migrations.ts'
import { runMain } from './db/run-main.ts'
import { demoAccountList, formatDemoAccounts } from './seed/demo-accounts.ts'
import { DEFAULT_CUSTOMERS } from './seed/generate.ts'
import { userId } from './seed/generate-accounts.ts'
import { seedDatabase } from './seed/load.ts'

/** Supabase CLI's own local JWT secret: a development default, never for production. */
const localJwtSecret = 'super-secret-jwt-token-with-at-least-32-characters-long'

const startEnvSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8787),
  HOST: z.string().min(1).default('127.0.0.1'),
})

await runMain(async () => {
  const scriptEnv = readScriptEnv()
  const parsedStartEnv = startEnvSchema.safeParse(process.env)
  if (!parsedStartEnv.success) {
    throw new Error(
      `Invalid environment:\n${parsedStartEnv.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    )
  }
  const { PORT, HOST } = parsedStartEnv.data
  const origin = `http://localhost:${PORT}`
  const config = parseApiConfig({
    SUPABASE_JWT_SECRET: localJwtSecret,
    CORS_ORIGINS: origin,
    ...process.env,
  })

  const { db, where } = await openScriptDatabase(scriptEnv)
  let stopping = false
  const stop = async (server?: { close: (cb: () => void) => void }) => {
    if (stopping) return
    stopping = true
    console.log('\nStopping…')
    if (server) await new Promise<void>((done) => server.close(() => done()))
    await db.close() // PGlite flushes and releases its folder
    process.exit(0)
  }
  try {
    const migrated = await migrate(db)
    const seeded = await seedDatabase(db, { customers: DEFAULT_CUSTOMERS })
    const app = new Hono()
    app.route('/', createApp({ db, config }))
    app.get('/', (c) => c.html(landingPage(config.API_BASE_PATH)))

    const server = serve({ fetch: app.fetch, port: PORT, hostname: HOST })
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve)
      server.once('error', reject)
    })
    process.once('SIGINT', () => void stop(server))
    process.once('SIGTERM', () => void stop(server))

    const sampleToken = await localAccessToken(config.SUPABASE_JWT_SECRET as string, 'rep@acme.example')
    console.log(`
Sales dashboard is running.

  URL           ${origin}
  API           ${origin}${config.API_BASE_PATH}   (reference: ${origin}${config.API_BASE_PATH}/docs)
  Database      ${where} — ${migrated.applied.length} migrations applied now, ${seeded.status === 'seeded' ? 'demo data loaded' : 'demo data already there'}
  JWT secret    ${config.SUPABASE_JWT_SECRET === localJwtSecret ? 'the local development secret (set SUPABASE_JWT_SECRET to change it)' : 'from SUPABASE_JWT_SECRET'}

${formatDemoAccounts()}

Until the local sign-in lands (issue 4), call the API with a token signed by the local secret, e.g. as rep@acme.example:
  curl -H "Authorization: Bearer ${sampleToken}" ${origin}${config.API_BASE_PATH}/me

Ctrl-C stops.`)
  } catch (error) {
    await db.close()
    throw error
  }
})

/** A Supabase-shaped access token for a demo user, valid for a day, signed with the local secret. */
async function localAccessToken(secret: string, email: string): Promise<string> {
  const account = demoAccountList.find((a) => a.email === email)
  if (!account) throw new Error(`No demo account ${email}`)
  return new SignJWT({ role: 'authenticated', email })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId(email))
    .setAudience('authenticated')
    .setIssuedAt()
    .setExpirationTime('24h')
    .sign(new TextEncoder().encode(secret))
}

function landingPage(apiBasePath: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sales dashboard</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1f2937}</style>
</head><body>
<h1>Sales dashboard</h1>
<p>The API is running: <a href="${apiBasePath}/docs">API reference</a> ·
<a href="${apiBasePath}/openapi.json">OpenAPI document</a> ·
<a href="${apiBasePath}/health/db">database health</a>.</p>
<p>The dashboard itself arrives with its issue; the demo accounts are printed in the terminal.</p>
</body></html>`
}
