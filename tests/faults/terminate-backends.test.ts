import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../functions/db/database.ts'
import { createPostgresDatabase } from '../../functions/db/postgres.ts'
import { apiClient, createTestApp, tokenFor } from '../support/api.ts'
import { createFixture, type Fixture } from '../support/fixtures.ts'
import { testServerUrl } from '../support/server-url.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'

/**
 * The API's database connections killed under a write load
 * (pg_terminate_backend, as a failover or an operator would): every request
 * completes or fails fast with 503 and Retry-After, nothing is half-written,
 * a retry with the same Idempotency-Key creates nothing twice, and the API
 * serves again without a restart. Only this file's own database is touched:
 * other files run beside it on the same server.
 */
describe.skipIf(!testServerUrl())(
  'killing the API’s database connections during a write load (needs a Postgres server: PGlite has no backends)',
  () => {
    let t: TestDatabase
    let f: Fixture
    let appDb: Database
    let injector: Database
    let request: ReturnType<typeof apiClient>
    let token: string
    const requests = 200
    const deadlineMs = 30_000

    beforeAll(async () => {
      t = await createTestDatabase()
      f = await createFixture(t.db)
      // The app's own pool, as in production: ten connections shared by every request.
      appDb = createPostgresDatabase(t.url as string, { max: 10, fetchTypes: false })
      const url = new URL(t.url as string)
      url.searchParams.set('application_name', 'fault-injector')
      injector = createPostgresDatabase(url.toString(), { max: 1 })
      request = apiClient(createTestApp(appDb, { LOG_LEVEL: 'silent' }).app)
      token = await tokenFor(f.users.rep.id)
    })
    afterAll(async () => {
      await appDb?.close()
      await injector?.close()
      await t?.close()
    })

    /** Terminates every backend of this test's database but the injector's own. */
    const terminate = async () => {
      const [row] = await injector.query<{ n: number }>(
        `select count(*) filter (where pg_terminate_backend(pid))::int as n
           from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid()
            and application_name <> 'fault-injector'`,
      )
      return row?.n ?? 0
    }

    const create = (i: number, runId: string) =>
      request('POST', `/orgs/${f.orgA}/customers`, {
        token,
        body: { name: `Load ${runId} ${i}` },
        headers: { 'Idempotency-Key': `load-${runId}-${i}` },
      })

    /** The one uncaught error we know the cause of (porsager/postgres#1208, fix proposed in #1209). */
    const knownDriverBug = /Cannot read properties of null \(reading 'write'\)/

    it('should answer 201 or 503 with Retry-After, lose no acknowledged write, half-write none, and retry without duplicates', async () => {
      const runId = randomUUID().slice(0, 8)
      let killing = true
      let killed = 0
      const killer = (async () => {
        // Kills again and again while the load runs: first connections, then their replacements.
        while (killing) {
          killed += await terminate()
          await new Promise((resolve) => setTimeout(resolve, 250))
        }
      })()
      // postgres.js 3.4.9 throws from a timer when a backend dies mid-transaction (its ROLLBACK
      // meets a closed socket), and that connection never sends another query: counted here
      // rather than crashing the test process, as it would crash a Node server.
      const driverCrashes: string[] = []
      const onUncaught = (error: unknown) => driverCrashes.push(String(error))
      process.on('uncaughtException', onUncaught)
      const started = performance.now()
      const results = await Promise.all(
        Array.from({ length: requests }, async (_, i) => {
          const timer = new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), deadlineMs))
          return { i, res: await Promise.race([create(i, runId), timer]) }
        }),
      )
      killing = false
      await killer
      process.off('uncaughtException', onUncaught)
      const elapsed = performance.now() - started

      const hung = results.filter(({ res }) => res === 'hung').map(({ i }) => i)
      const answered = results.flatMap(({ i, res }) => (res === 'hung' ? [] : [{ i, res }]))
      const created = answered.filter(({ res }) => res.status === 201)
      const unavailable = answered.filter(({ res }) => res.status === 503)
      const summary =
        `${requests} creates in ${Math.round(elapsed)} ms, ${killed} backends terminated: ` +
        `${created.length} × 201, ${unavailable.length} × 503, ${hung.length} unanswered after ${deadlineMs} ms, ` +
        `${driverCrashes.length} uncaught driver errors`
      console.log(summary)

      expect(killed, 'the fault was injected').toBeGreaterThan(0)
      expect(unavailable.length + hung.length, 'some requests met a killed connection').toBeGreaterThan(0)
      expect(
        answered.filter(({ res }) => res.status !== 201 && res.status !== 503).map(({ res }) => res.text),
        'answers other than 201 or 503',
      ).toEqual([])
      for (const { res } of unavailable) {
        expect(res.headers.get('Retry-After')).toBe('1')
        expect(res.headers.get('Content-Type')).toBe('application/problem+json')
        expect(res.json.code).toBe('unavailable')
      }
      // A request may go unanswered only through the known driver bug, and nothing else may crash.
      expect(
        driverCrashes.filter((e) => !knownDriverBug.test(e)),
        'unknown uncaught errors',
      ).toEqual([])
      if (driverCrashes.length === 0) expect(hung, `unanswered after ${deadlineMs} ms`).toEqual([])
      else console.warn(`KNOWN BUG porsager/postgres#1208 fired: ${summary} (docs/security.md)`)

      // Checked through a pool of its own: the app's may hold connections the bug wedged.
      const check = createPostgresDatabase(t.url as string, { max: 1 })
      const fresh = createPostgresDatabase(t.url as string, { max: 4 })
      try {
        const rows = await check.query<{ id: string; events: number }>(
          `select c.id, (select count(*)::int from public.timeline_events e
                          where e.customer_id = c.id and e.type = 'customer_created') as events
             from public.customers c where c.name like $1`,
          [`Load ${runId} %`],
        )
        const stored = new Set(rows.map((r) => r.id))
        const lost = created.filter(({ res }) => !stored.has(res.json.id)).map(({ res }) => res.json.id)
        expect(lost, 'acknowledged but lost').toEqual([])
        // All or nothing: a customer without its event (or with two) is a half-written change.
        expect(rows.filter((r) => r.events !== 1)).toEqual([])

        // The client's retry, same key, same body: created once, or replayed; never twice.
        // Through the same app when the pool survived (it recovered by itself), else a fresh one.
        const retry =
          driverCrashes.length === 0 ? request : apiClient(createTestApp(fresh, { LOG_LEVEL: 'silent' }).app)
        for (const i of [...unavailable.map(({ i }) => i), ...hung]) {
          const res = await retry('POST', `/orgs/${f.orgA}/customers`, {
            token,
            body: { name: `Load ${runId} ${i}` },
            headers: { 'Idempotency-Key': `load-${runId}-${i}` },
          })
          expect(res.status, res.text).toBe(201)
        }
        const [counts] = await check.query<{ customers: number; names: number }>(
          `select count(*)::int as customers, count(distinct name)::int as names
             from public.customers where name like $1`,
          [`Load ${runId} %`],
        )
        expect(counts).toEqual({ customers: requests, names: requests })
        expect((await retry('GET', `/orgs/${f.orgA}/customers?limit=1`, { token })).status).toBe(200)
      } finally {
        await check.close()
        await fresh.close()
      }
    })
  },
)
