import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiClient, createTestApp, tokenFor } from '../../tests/support/api.ts'
import { createFixture, type Fixture } from '../../tests/support/fixtures.ts'
import { testServerUrl } from '../../tests/support/server-url.ts'
import { createTestDatabase, type TestDatabase } from '../../tests/support/test-database.ts'
import type { Transaction } from '../db/database.ts'
import { asCaller } from './as-caller.ts'

/** What postgres.js and PGlite throw for SQLSTATE `code`. */
const pgError = (code: string, message: string) => Object.assign(new Error(message), { code })
const serializationFailure = () =>
  pgError('40001', 'could not serialize access due to read/write dependencies among transactions')

describe('asCaller', () => {
  let t: TestDatabase
  let f: Fixture
  let request: ReturnType<typeof apiClient>
  let token: string
  /** What the probe route runs inside asCaller; each test sets its own. */
  let work: (tx: Transaction, attempt: number) => Promise<unknown>
  let attempts = 0

  beforeAll(async () => {
    t = await createTestDatabase()
    f = await createFixture(t.db)
    const { app } = createTestApp(t.db)
    // A probe route behind the real middleware: auth, request id, error handler.
    app.post('/as-caller-probe', async (c) => {
      attempts = 0
      const result = await asCaller(c, (tx) => work(tx, ++attempts))
      return c.json({ result, attempts })
    })
    request = apiClient(app)
    token = await tokenFor(f.users.rep.id)
  })
  afterAll(() => t.close())

  const insertCustomer = (tx: Transaction, name: string) =>
    tx.query<{ id: string }>(`insert into public.customers (org_id, name) values ($1, $2) returning id`, [
      f.orgA,
      name,
    ])
  const customersNamed = (name: string) =>
    t.db.query('select id, owner_id from public.customers where name = $1', [name])

  it('should run the work as the caller, under RLS', async () => {
    work = async (tx) => (await tx.query<{ uid: string }>('select auth.uid() as uid, current_user'))[0]
    const res = await request('POST', '/as-caller-probe', { token })
    expect(res.status).toBe(200)
    expect(res.json).toEqual({ result: { uid: f.users.rep.id, current_user: 'authenticated' }, attempts: 1 })
  })

  it('should retry the whole transaction once after a serialization failure and return the second result', async () => {
    work = async (tx, attempt) => {
      const [row] = await insertCustomer(tx, 'Retried Ltd')
      if (attempt === 1) throw serializationFailure()
      return row?.id
    }
    const res = await request('POST', '/as-caller-probe', { token })
    expect(res.status).toBe(200)
    expect(res.json.attempts).toBe(2)
    // The first attempt's insert was rolled back with it: one row, the second attempt's.
    expect(await customersNamed('Retried Ltd')).toEqual([{ id: res.json.result, owner_id: f.users.rep.id }])
  })

  it('should retry a deadlock the same way', async () => {
    work = async (_tx, attempt) => {
      if (attempt === 1) throw pgError('40P01', 'deadlock detected')
      return 'ok'
    }
    expect((await request('POST', '/as-caller-probe', { token })).json).toEqual({ result: 'ok', attempts: 2 })
  })

  it('should answer 503 with Retry-After after two serialization failures in a row, writing nothing', async () => {
    work = async (tx) => {
      await insertCustomer(tx, 'Never Ltd')
      throw serializationFailure()
    }
    const res = await request('POST', '/as-caller-probe', { token })
    expect(res.status).toBe(503)
    expect(res.headers.get('Retry-After')).toBe('1')
    expect(res.headers.get('Content-Type')).toBe('application/problem+json')
    expect(res.json).toMatchObject({ code: 'unavailable', request_id: res.headers.get('X-Request-Id') })
    expect(res.text).not.toContain('serialize')
    expect(attempts).toBe(2)
    expect(await customersNamed('Never Ltd')).toEqual([])
  })

  it('should not retry an error that another attempt would not fix', async () => {
    work = async (tx) => insertCustomer(tx, '   ')
    const res = await request('POST', '/as-caller-probe', { token })
    expect(res.status).toBe(422)
    expect(res.json.code).toBe('constraint_violation')
    expect(attempts).toBe(1)
  })

  // A real conflict needs two connections, so a server: PGlite is one connection.
  // Under read committed (what withUser opens) Postgres raises no 40001, but a
  // deadlock (40P01) is the same class and as real: lock A then B against a
  // transaction that locks B then A.
  it.skipIf(!testServerUrl())(
    'should recover from a real deadlock against another transaction by retrying once (needs a Postgres server: PGlite is one connection)',
    async () => {
      let callerHoldsFirstLock!: () => void
      const callerLocked = new Promise<void>((resolve) => {
        callerHoldsFirstLock = resolve
      })
      let otherHoldsSecondLock!: () => void
      const otherLocked = new Promise<void>((resolve) => {
        otherHoldsSecondLock = resolve
      })
      const other = t.db.transaction(async (tx) => {
        // Wait far longer than the caller's deadlock_timeout (1 s by default), so
        // the caller's transaction is the one Postgres picks as the victim.
        await tx.query(`set local deadlock_timeout = '60s'`)
        await tx.query('select pg_advisory_xact_lock(424242, 2)')
        otherHoldsSecondLock()
        await callerLocked
        await waitForLockWaiters(1)
        await tx.query('select pg_advisory_xact_lock(424242, 1)')
      })
      await otherLocked
      work = async (tx, attempt) => {
        await tx.query('select pg_advisory_xact_lock(424242, 1)')
        if (attempt === 1) callerHoldsFirstLock()
        await tx.query('select pg_advisory_xact_lock(424242, 2)')
        return 'done'
      }
      const res = await request('POST', '/as-caller-probe', { token })
      await other
      expect(res.status).toBe(200)
      expect(res.json).toEqual({ result: 'done', attempts: 2 })
    },
  )

  /** Polls until `n` backends wait on an advisory lock (no timing assumptions). */
  async function waitForLockWaiters(n: number) {
    for (;;) {
      const [row] = await t.db.query<{ waiting: number }>(
        `select count(*)::int as waiting from pg_locks where locktype = 'advisory' and not granted`,
      )
      if ((row?.waiting ?? 0) >= n) return
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }
})
