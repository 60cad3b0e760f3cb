import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildWorker } from '../../scripts/build-worker.ts'
import { testJwtSecret } from '../../tests/support/api.ts'
import { createFixture, type Fixture } from '../../tests/support/fixtures.ts'
import { createTestDatabase, type TestDatabase } from '../../tests/support/test-database.ts'
import { createBurstIntegrations, sendBurst } from '../../tests/support/webhook-burst.ts'
import { processPendingWebhookEvents } from './retry.ts'

/**
 * The receiver in workerd (the bundled Worker): Web Crypto verification, the
 * store, the 200. Whether the after-response processing finishes there depends
 * on the Worker entry keeping the request's database client open for
 * ctx.waitUntil work; the retry path completes whatever it left.
 */
describe.skipIf(!process.env.DATABASE_URL)('webhooks in the Worker (needs DATABASE_URL)', () => {
  let t: TestDatabase
  let f: Fixture
  let mf: Miniflare
  let outdir: string

  beforeAll(async () => {
    outdir = await mkdtemp(join(tmpdir(), 'sales-worker-webhooks-'))
    const [bundle, database] = await Promise.all([buildWorker(outdir), createTestDatabase()])
    t = database
    f = await createFixture(t.db)
    const toml = await readFile(new URL('../../wrangler.toml', import.meta.url), 'utf8')
    const url = new URL(t.url as string)
    if (!url.password) url.password = 'unused'
    mf = new Miniflare({
      modules: true,
      scriptPath: bundle.scriptPath,
      modulesRoot: bundle.outdir,
      compatibilityDate: toml.match(/^compatibility_date\s*=\s*"([^"]+)"/m)?.[1] as string,
      compatibilityFlags: ['nodejs_compat'],
      bindings: { SUPABASE_JWT_SECRET: testJwtSecret, API_BASE_PATH: '/api' },
      hyperdrives: { HYPERDRIVE: url.toString() },
    })
    await mf.ready
  }, 300_000)
  afterAll(async () => {
    await mf?.dispose()
    await t?.close()
    if (outdir) await rm(outdir, { recursive: true, force: true })
  })

  it('should verify, store and answer deliveries of all three providers; nothing is lost', async () => {
    const integrations = await createBurstIntegrations(t.db, f.orgA, f.users.admin.id)
    // sendBurst speaks HTTP through fetch; route it into workerd instead.
    const realFetch = globalThis.fetch
    globalThis.fetch = ((input: string, init?: RequestInit) =>
      mf.dispatchFetch(input, init as never)) as unknown as typeof fetch
    let result: Awaited<ReturnType<typeof sendBurst>>
    try {
      result = await sendBurst('http://localhost', integrations, { count: 30, concurrency: 4, tag: 'worker' })
    } finally {
      globalThis.fetch = realFetch
    }
    expect(result.accepted).toBe(30)
    await new Promise((resolve) => setTimeout(resolve, 1000))
    await processPendingWebhookEvents(t.db, { limit: 100 })
    const rows = await t.db.query<{ status: string; n: number }>(
      `select status, count(*)::int as n from public.webhook_events group by status`,
    )
    expect(rows).toEqual([{ status: 'processed', n: 30 }])
  }, 120_000)
})
