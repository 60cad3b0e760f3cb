import { randomUUID } from 'node:crypto'
import { connect, createServer, type Server, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../functions/db/database.ts'
import { createPostgresDatabase } from '../../functions/db/postgres.ts'
import { apiClient, createTestApp, tokenFor } from '../support/api.ts'
import { createFixture, type Fixture } from '../support/fixtures.ts'
import { testServerUrl } from '../support/server-url.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'

/**
 * Postgres "restarting" as this app sees it, without touching the shared
 * server: the app reaches its database through a TCP proxy of its own, which
 * is stopped (listening ends, every connection is cut, as a restart does) and
 * started again on the same port.
 */
class RestartableProxy {
  private server: Server | undefined
  private readonly sockets = new Set<Socket>()
  port = 0
  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host)
      for (const socket of [client, upstream]) {
        this.sockets.add(socket)
        socket.once('close', () => this.sockets.delete(socket))
        socket.on('error', () => {
          client.destroy()
          upstream.destroy()
        })
      }
      client.pipe(upstream).pipe(client)
    })
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve))
    this.port = (server.address() as { port: number }).port
    this.server = server
  }

  async stop(): Promise<void> {
    const server = this.server
    this.server = undefined
    for (const socket of this.sockets) socket.destroy()
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
  }
}

describe.skipIf(!testServerUrl())(
  'Postgres going away and coming back (needs a Postgres server behind the proxy)',
  () => {
    let t: TestDatabase
    let f: Fixture
    let proxy: RestartableProxy
    let appDb: Database
    let request: ReturnType<typeof apiClient>
    let token: string

    beforeAll(async () => {
      t = await createTestDatabase()
      f = await createFixture(t.db)
      const url = new URL(t.url as string)
      proxy = new RestartableProxy({ host: url.hostname, port: Number(url.port || 5432) })
      await proxy.start()
      url.host = `127.0.0.1:${proxy.port}`
      appDb = createPostgresDatabase(url.toString(), { max: 4 })
      request = apiClient(createTestApp(appDb, { LOG_LEVEL: 'silent' }).app)
      token = await tokenFor(f.users.rep.id)
    })
    afterAll(async () => {
      await proxy?.stop()
      await appDb?.close()
      await t?.close()
    })

    /** A request and how long it took. */
    const timed = async (method: string, path: string, body?: unknown) => {
      const started = performance.now()
      const res = await request(method, path, { token, ...(body ? { body } : {}) })
      return { res, ms: performance.now() - started }
    }

    it('should report the outage on /health/db, fail fast with 503 meanwhile, and serve again by itself', async () => {
      const runId = randomUUID().slice(0, 8)
      // Up: a mixed round trip works (and warms the pool's connections).
      for (let i = 0; i < 4; i++) {
        expect(
          (await timed('POST', `/orgs/${f.orgA}/customers`, { name: `Before ${runId} ${i}` })).res.status,
        ).toBe(201)
        expect((await timed('GET', `/orgs/${f.orgA}/customers?limit=5`)).res.status).toBe(200)
      }
      expect((await timed('GET', '/health/db')).res.status).toBe(200)

      // Down: every pooled connection cut, new ones refused.
      await proxy.stop()
      const down = await Promise.all([
        timed('GET', '/health/db'),
        timed('GET', `/orgs/${f.orgA}/customers?limit=5`),
        timed('POST', `/orgs/${f.orgA}/customers`, { name: `During ${runId}` }),
        timed('GET', '/me'),
      ])
      for (const { res, ms } of down) {
        expect(res.status, res.text).toBe(503)
        expect(res.headers.get('Retry-After')).toBe('1')
        expect(ms, 'answered fast, not after a timeout').toBeLessThan(3_000)
      }
      expect((await timed('GET', '/health')).res.status).toBe(200) // the process itself is up

      // Back: traffic succeeds again within seconds, without restarting the app.
      await proxy.start()
      const back = performance.now()
      let recovered = false
      while (!recovered && performance.now() - back < 10_000) {
        const { res } = await timed('GET', `/orgs/${f.orgA}/customers?limit=5`)
        recovered = res.status === 200
        if (!recovered) await new Promise((resolve) => setTimeout(resolve, 100))
      }
      console.log(`serving again ${Math.round(performance.now() - back)} ms after Postgres came back`)
      expect(recovered).toBe(true)
      expect((await timed('POST', `/orgs/${f.orgA}/customers`, { name: `After ${runId}` })).res.status).toBe(
        201,
      )
      expect((await timed('GET', '/health/db')).res.status).toBe(200)
      // The write refused during the outage did not happen.
      const during = await t.db.query('select 1 from public.customers where name = $1', [`During ${runId}`])
      expect(during).toEqual([])
    })
    it('should answer every request of a mixed load across a restart with 2xx or 503, and lose no acknowledged write', async () => {
      const runId = randomUUID().slice(0, 8)
      const knownDriverBug = /Cannot read properties of null \(reading 'write'\)/
      const driverCrashes: string[] = []
      const onUncaught = (error: unknown) => driverCrashes.push(String(error))
      process.on('uncaughtException', onUncaught)
      const answers: { status: number; retryAfter: string | null; id?: string }[] = []
      let hung = 0
      let n = 0
      let running = true
      // Eight clients, each a read then a write, again and again, each request given 5 s.
      const client = async () => {
        while (running) {
          const i = n++
          const call =
            i % 2 === 0
              ? request('GET', `/orgs/${f.orgA}/customers?limit=5`, { token })
              : request('POST', `/orgs/${f.orgA}/customers`, { token, body: { name: `Load ${runId} ${i}` } })
          const res = await Promise.race([
            call,
            new Promise<'hung'>((r) => setTimeout(() => r('hung'), 20_000)),
          ])
          if (res === 'hung') hung++
          else
            answers.push({ status: res.status, retryAfter: res.headers.get('Retry-After'), id: res.json?.id })
        }
      }
      const clients = Array.from({ length: 8 }, client)
      await new Promise((resolve) => setTimeout(resolve, 1_000))
      await proxy.stop()
      await new Promise((resolve) => setTimeout(resolve, 1_000))
      await proxy.start()
      await new Promise((resolve) => setTimeout(resolve, 2_000))
      running = false
      await Promise.all(clients)
      process.off('uncaughtException', onUncaught)

      const count = (status: number) => answers.filter((a) => a.status === status).length
      const summary = `${answers.length + hung} requests: ${count(200)} × 200, ${count(201)} × 201, ${count(503)} × 503, ${hung} unanswered, ${driverCrashes.length} uncaught driver errors`
      console.log(summary)
      expect(count(503), 'the outage was felt').toBeGreaterThan(0)
      expect(answers.filter((a) => ![200, 201, 503].includes(a.status)).map((a) => a.status)).toEqual([])
      expect(answers.filter((a) => a.status === 503 && a.retryAfter !== '1')).toEqual([])
      expect(
        driverCrashes.filter((e) => !knownDriverBug.test(e)),
        'unknown uncaught errors',
      ).toEqual([])
      if (driverCrashes.length === 0) expect(hung).toBe(0)
      else console.warn(`KNOWN BUG porsager/postgres#1208 fired: ${summary} (docs/security.md)`)
      const created = answers.filter((a) => a.status === 201).map((a) => a.id as string)
      const stored = await t.db.query<{ id: string }>('select id from public.customers where name like $1', [
        `Load ${runId} %`,
      ])
      const ids = new Set(stored.map((r) => r.id))
      expect(
        created.filter((id) => !ids.has(id)),
        'acknowledged but lost',
      ).toEqual([])
    })
  },
)
