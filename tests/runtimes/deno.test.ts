import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testJwtSecret, tokenFor } from '../support/api.ts'
import { createFixture, type Fixture } from '../support/fixtures.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'

const repoRoot = new URL('../../', import.meta.url).pathname
const deno = join(repoRoot, 'node_modules/.bin/deno')
/** Deno's npm cache: the first run downloads the function's packages, later runs reuse them. */
const denoDir = join(repoRoot, 'node_modules/.cache/deno')
/** What may pass from our environment to Deno: how to reach the npm registry, nothing else. */
const passThrough =
  /^(PATH|HOME|TMPDIR|(HTTPS?|NO)_PROXY|(https?|no)_proxy|NPM_CONFIG_REGISTRY|DENO_CERT|SSL_CERT_FILE|SSL_CERT_DIR)$/

interface EdgeFunction {
  url: string
  stop(): Promise<void>
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  server.close()
  return port
}

/**
 * Runs supabase/functions/api/index.ts in real Deno with the function's own
 * deno.json (its import map, as Supabase deploys it) and waits until it answers.
 */
async function startEdgeFunction(env: Record<string, string>): Promise<EdgeFunction> {
  const port = await freePort()
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => passThrough.test(name)))
  const child: ChildProcess = spawn(
    deno,
    [
      'run',
      '--allow-net',
      '--allow-env',
      '--allow-read',
      '--config',
      'supabase/functions/api/deno.json',
      'supabase/functions/api/index.ts',
    ],
    {
      cwd: repoRoot,
      env: {
        ...inherited,
        DENO_DIR: denoDir,
        DENO_NO_UPDATE_CHECK: '1',
        // Trust the machine's CA store as npm and Node do (a TLS-inspecting proxy may sit
        // between us and the registry), and Mozilla's roots as Deno does by default.
        DENO_TLS_CA_STORE: 'system,mozilla',
        NO_COLOR: '1',
        PORT: String(port),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let output = ''
  child.stdout?.on('data', (chunk) => {
    output += chunk
  })
  child.stderr?.on('data', (chunk) => {
    output += chunk
  })
  const exited = once(child, 'exit')
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      await exited
    }
  }

  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 240_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Deno exited with ${child.exitCode}:\n${output}`)
    try {
      if ((await fetch(`${url}/api/health`)).ok) return { url, stop }
    } catch {
      // not listening yet (it may still be downloading its npm packages)
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  await stop()
  throw new Error(`Deno did not answer within 240 s:\n${output}`)
}

async function get(base: string, path: string, token?: string) {
  const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {}
  const res = await fetch(`${base}${path}`, { headers })
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON the API answered
  return { status: res.status, headers: res.headers, json: (await res.json()) as any }
}

describe.skipIf(!process.env.DATABASE_URL)(
  'the Supabase Edge Function entry in Deno (needs DATABASE_URL: Deno reaches Postgres over TCP)',
  () => {
    let t: TestDatabase
    let f: Fixture
    let withSecret: EdgeFunction | undefined
    let withJwks: EdgeFunction | undefined
    let jwksServer: Server | undefined
    let signAsymmetric: (userId: string) => Promise<string>
    const jobsSecret = 'the-edge-jobs-secret-of-at-least-32-chars'

    beforeAll(async () => {
      t = await createTestDatabase()
      f = await createFixture(t.db)

      // A stand-in for Supabase Auth's JWKS endpoint, for a project with asymmetric signing keys.
      const { publicKey, privateKey } = await generateKeyPair('ES256')
      const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'ES256', use: 'sig' }
      jwksServer = createServer((req, res) => {
        const found = req.url === '/auth/v1/.well-known/jwks.json'
        res.writeHead(found ? 200 : 404, { 'content-type': 'application/json' })
        res.end(found ? JSON.stringify({ keys: [jwk] }) : '{}')
      }).listen(0, '127.0.0.1')
      await once(jwksServer, 'listening')
      const supabaseUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}`
      signAsymmetric = (userId) =>
        new SignJWT({ role: 'authenticated' })
          .setProtectedHeader({ alg: 'ES256', kid: 'test-key', typ: 'JWT' })
          .setSubject(userId)
          .setAudience('authenticated')
          .setIssuedAt()
          .setExpirationTime('1h')
          .sign(privateKey)

      const db = { SUPABASE_DB_URL: t.url as string }
      // The first start may download the npm packages; the second then finds them cached.
      withSecret = await startEdgeFunction({
        ...db,
        SUPABASE_JWT_SECRET: testJwtSecret,
        JOBS_SECRET: jobsSecret,
      })
      withJwks = await startEdgeFunction({ ...db, SUPABASE_URL: supabaseUrl })
    }, 300_000)

    afterAll(async () => {
      await withSecret?.stop()
      await withJwks?.stop()
      jwksServer?.close()
      await t?.close()
    })

    it('should list organization A’s customers to its viewer, as RLS lets it see them', async () => {
      const res = await get(
        withSecret?.url as string,
        `/api/orgs/${f.orgA}/customers`,
        await tokenFor(f.users.viewer.id),
      )
      expect(res.status).toBe(200)
      expect(res.json.data.map((c: { id: string }) => c.id).sort()).toEqual(
        [f.customers.repOwned, f.customers.rep2Owned].sort(),
      )
      expect(res.json.next_cursor).toBeNull()
    })

    it('should answer 401 as problem+json without a token', async () => {
      const res = await get(withSecret?.url as string, `/api/orgs/${f.orgA}/customers`)
      expect(res.status).toBe(401)
      expect(res.headers.get('content-type')).toBe('application/problem+json')
      expect(res.json).toMatchObject({ status: 401, code: 'unauthorized' })
    })

    it('should answer 404 to a member of another organization', async () => {
      const res = await get(
        withSecret?.url as string,
        `/api/orgs/${f.orgA}/customers`,
        await tokenFor(f.users.outsider.id),
      )
      expect(res.status).toBe(404)
    })

    it('should reach Postgres at SUPABASE_DB_URL', async () => {
      const res = await get(withSecret?.url as string, '/api/health/db')
      expect(res.status).toBe(200)
      expect(res.json).toMatchObject({ status: 'ok', database: 'postgres' })
    })

    it('should verify tokens with the JWKS under SUPABASE_URL when no JWT secret is set', async () => {
      const base = withJwks?.url as string
      const res = await get(base, `/api/orgs/${f.orgA}/customers`, await signAsymmetric(f.users.viewer.id))
      expect(res.status).toBe(200)
      expect(res.json.data).toHaveLength(2)
      // An HS256 token means nothing to a project that has no secret configured.
      const hs256 = await get(base, `/api/orgs/${f.orgA}/customers`, await tokenFor(f.users.viewer.id))
      expect(hs256.status).toBe(401)
    })

    it('should run the declared schedules on POST /api/jobs/<name>, as pg_cron calls them on Supabase', async () => {
      const [integration] = await t.db.query<{ id: string }>(
        `insert into public.integrations (org_id, provider, name) values ($1, 'standard_webhooks', 'CRM') returning id`,
        [f.orgA],
      )
      await t.db.query(
        `insert into public.webhook_events (org_id, integration_id, provider, event_id, body, next_attempt_at)
         values ($1, $2, 'standard_webhooks', 'msg_edge_cron', $3, now() - interval '1 minute')`,
        [
          f.orgA,
          integration?.id,
          JSON.stringify({
            type: 'customer.created',
            timestamp: new Date().toISOString(),
            data: { id: 'edge-1', name: 'Retried on the edge' },
          }),
        ],
      )
      const post = (name: string, secret = jobsSecret) =>
        fetch(`${withSecret?.url}/api/jobs/${name}`, { method: 'POST', headers: { 'X-Jobs-Secret': secret } })
      expect((await post('webhook-retries', `${jobsSecret}-wrong`)).status).toBe(401)
      const retries = await post('webhook-retries')
      expect(retries.status).toBe(200)
      expect(await retries.json()).toMatchObject({
        schedule: 'webhook-retries',
        jobs: [{ status: 'succeeded', rows: 1 }],
      })
      const [event] = await t.db.query(
        `select status from public.webhook_events where event_id = 'msg_edge_cron'`,
      )
      expect(event).toEqual({ status: 'processed' })
      const nightly = await post('nightly')
      expect(nightly.status).toBe(200)
      expect(((await nightly.json()) as { jobs: { job: string; status: string }[] }).jobs[0]).toMatchObject({
        job: 'metrics-nightly',
        status: 'succeeded',
      })
    })
  },
)
