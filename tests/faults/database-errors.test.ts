import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Transaction } from '../../functions/db/database.ts'
import { createPostgresDatabase } from '../../functions/db/postgres.ts'
import { asCaller } from '../../functions/queries/as-caller.ts'
import { apiClient, createTestApp, tokenFor } from '../support/api.ts'
import { createFixture, type Fixture } from '../support/fixtures.ts'
import { testServerUrl } from '../support/server-url.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'

/**
 * What a caller sees when the database fails under them: a lost connection or
 * a statement cut short by the API role's statement_timeout is a 503 with
 * Retry-After, promptly, never a 500 or a request that hangs.
 */

/** What postgres.js throws: SQLSTATE codes from the server, its own codes when the socket goes. */
const driverError = (code: string, message: string) => Object.assign(new Error(message), { code })

describe('database faults, as the caller sees them', () => {
  let t: TestDatabase
  let f: Fixture
  let request: ReturnType<typeof apiClient>
  let work: (tx: Transaction) => Promise<unknown>

  beforeAll(async () => {
    t = await createTestDatabase()
    f = await createFixture(t.db)
    const { app } = createTestApp(t.db, { LOG_LEVEL: 'silent' })
    // A probe route behind the real middleware and error handler, as functions/queries/as-caller.test.ts does.
    app.post('/fault-probe', async (c) => c.json({ result: await asCaller(c, (tx) => work(tx)) }))
    request = apiClient(app)
  })
  afterAll(() => t?.close())

  const probe = async () => request('POST', '/fault-probe', { token: await tokenFor(f.users.rep.id) })

  it.each([
    ['57P01', 'terminating connection due to administrator command'],
    ['57P03', 'the database system is starting up'],
    ['53300', 'sorry, too many clients already'],
    ['08006', 'connection failure'],
    ['CONNECTION_CLOSED', 'write CONNECTION_CLOSED 127.0.0.1:5432'],
    ['CONNECTION_ENDED', 'write CONNECTION_ENDED 127.0.0.1:5432'],
    ['CONNECT_TIMEOUT', 'write CONNECT_TIMEOUT 127.0.0.1:5432'],
    ['ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'],
  ])('should answer 503 with Retry-After when the driver reports %s', async (code, message) => {
    work = async () => {
      throw driverError(code, message)
    }
    const res = await probe()
    expect(res.status, res.text).toBe(503)
    expect(res.headers.get('Retry-After')).toBe('1')
    expect(res.json).toMatchObject({ code: 'unavailable', status: 503 })
    expect(res.text).not.toContain(message)
  })

  it('should still answer 500 to an error that is ours, not the database’s availability', async () => {
    work = async () => {
      throw driverError('XX000', 'internal error')
    }
    expect((await probe()).status).toBe(500)
  })

  it('should run each caller’s transaction under the authenticated role’s statement_timeout', async () => {
    work = async (tx) =>
      (await tx.query<{ timeout: string }>("select current_setting('statement_timeout') as timeout"))[0]
        ?.timeout
    const res = await probe()
    expect(res.status).toBe(200)
    // The migration's value (Supabase's): 8 s.
    expect(res.json.result).toBe('8s')
  })

  it.skipIf(!testServerUrl())(
    'should cancel a pathological query at the statement_timeout with a 503 (needs a Postgres server: PGlite has no timer to cancel with)',
    async () => {
      // This database only: other files on the server keep the 8 s.
      await t.db.execScript(
        `do $$ begin execute format('alter role authenticated in database %I set statement_timeout = 300', current_database()); end $$`,
      )
      try {
        work = (tx) => tx.query('select pg_sleep(10)')
        const started = performance.now()
        const res = await probe()
        const elapsed = performance.now() - started
        expect(res.status, res.text).toBe(503)
        expect(res.headers.get('Retry-After')).toBe('1')
        expect(res.json.detail).toMatch(/too long/)
        expect(elapsed).toBeLessThan(5_000)
        // The connection is usable again at once.
        work = async (tx) => (await tx.query<{ one: number }>('select 1 as one'))[0]?.one
        expect((await probe()).json.result).toBe(1)
      } finally {
        await t.db.execScript(
          `do $$ begin execute format('alter role authenticated in database %I reset statement_timeout', current_database()); end $$`,
        )
      }
    },
  )
  it.skipIf(!testServerUrl())(
    'should not let slow queries pile requests up behind a full pool: each is cut at the timeout (needs a Postgres server)',
    async () => {
      await t.db.execScript(
        `do $$ begin execute format('alter role authenticated in database %I set statement_timeout = 300', current_database()); end $$`,
      )
      // Two connections for twenty slow requests: without a timeout the last would wait ~100 s.
      const small = createPostgresDatabase(t.url as string, { max: 2 })
      try {
        const { app } = createTestApp(small, { LOG_LEVEL: 'silent' })
        app.post('/slow', async (c) =>
          c.json({ result: await asCaller(c, (tx) => tx.query('select pg_sleep(10)')) }),
        )
        const slow = apiClient(app)
        const token = await tokenFor(f.users.rep.id)
        const started = performance.now()
        const answers = await Promise.all(Array.from({ length: 20 }, () => slow('POST', '/slow', { token })))
        const elapsed = performance.now() - started
        expect(answers.map((r) => r.status)).toEqual(Array(20).fill(503))
        expect(answers.every((r) => r.headers.get('Retry-After') === '1')).toBe(true)
        // Ten rounds of 300 ms on two connections, with room for a loaded machine.
        expect(elapsed).toBeLessThan(15_000)
        const fast = apiClient(createTestApp(small, { LOG_LEVEL: 'silent' }).app)
        expect((await fast('GET', '/me', { token })).status).toBe(200)
      } finally {
        await small.close()
        await t.db.execScript(
          `do $$ begin execute format('alter role authenticated in database %I reset statement_timeout', current_database()); end $$`,
        )
      }
    },
  )
})
