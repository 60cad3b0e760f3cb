import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOrganization } from '../../tests/support/fixtures.ts'
import { createTestDatabase, type TestDatabase } from '../../tests/support/test-database.ts'
import { runNightlyMetricsAsServiceRole } from './daily-metrics.ts'
import { JobFailedError } from './job-runs.ts'

const night = (day: string) => new Date(`${day}T02:00:00Z`)

/** The nightly run over one UTC organization whose only customer arrived on 2026-03-01. */
describe('the nightly metrics run', () => {
  let t: TestDatabase
  let org: string

  const days = async () =>
    (
      await t.db.query<{ day: string; total: number; new_customers: number }>(
        `select day::text as day, new_customers,
                (select sum(value::int) from jsonb_each_text(customers_by_phase))::int as total
         from public.daily_metrics where org_id = $1 order by day`,
        [org],
      )
    ).map((d) => `${d.day} ${d.total} ${d.new_customers}`)
  const runs = () =>
    t.db.query<{ status: string; rows: number | null; error: string | null }>(
      `select status, rows, error from public.job_runs where job = 'metrics-nightly' order by id`,
    )

  beforeAll(async () => {
    t = await createTestDatabase()
    org = await createOrganization(t.db, 'Nightly Org')
    await t.db.query(
      `insert into public.customers (org_id, name, created_at) values ($1, 'only', '2026-03-01T10:00Z')`,
      [org],
    )
    await t.db.query(
      `update public.timeline_events set occurred_at = '2026-03-01T10:00Z' where org_id = $1`,
      [org],
    )
  })
  afterAll(() => t?.close())

  it('should compute only yesterday for an organization with no days yet', async () => {
    const run = await runNightlyMetricsAsServiceRole(t.db, night('2026-03-05'))
    expect(run).toMatchObject({ job: 'metrics-nightly', status: 'succeeded', rows: 1, error: null })
    expect(run.finished_at).not.toBeNull()
    expect(await days()).toEqual(['2026-03-04 1 0'])
  })

  it('should record a failed night with its error, and catch up on it and on a missed night next time', async () => {
    await t.db.query(
      'revoke execute on function private.refresh_daily_metrics(uuid, date, date, timestamptz) from service_role',
    )
    const failure = await runNightlyMetricsAsServiceRole(t.db, night('2026-03-06')).catch((e) => e)
    await t.db.query(
      'grant execute on function private.refresh_daily_metrics(uuid, date, date, timestamptz) to service_role',
    )
    expect(failure).toBeInstanceOf(JobFailedError)
    expect((failure as JobFailedError).run).toMatchObject({ status: 'failed', rows: null })
    expect(await days()).toEqual(['2026-03-04 1 0'])

    // No run at all on the night of 03-07; the next one fills 03-05, 03-06 and 03-07.
    const next = await runNightlyMetricsAsServiceRole(t.db, night('2026-03-08'))
    expect(next).toMatchObject({ status: 'succeeded', rows: 3 })
    expect(await days()).toEqual(['2026-03-04 1 0', '2026-03-05 1 0', '2026-03-06 1 0', '2026-03-07 1 0'])
    expect(await runs()).toEqual([
      { status: 'succeeded', rows: 1, error: null },
      {
        status: 'failed',
        rows: null,
        error: expect.stringMatching(/permission denied for function refresh_daily_metrics/),
      },
      { status: 'succeeded', rows: 3, error: null },
    ])
  })

  it('should recompute yesterday when run twice in a night, to the same row', async () => {
    const before = await t.db.query('select * from public.daily_metrics order by org_id, day')
    expect(await runNightlyMetricsAsServiceRole(t.db, night('2026-03-08'))).toMatchObject({ rows: 1 })
    expect(await t.db.query('select * from public.daily_metrics order by org_id, day')).toEqual(before)
  })

  it('should close a run left running by a crashed process as failed', async () => {
    const [stale] = await t.db.query<{ id: number }>(
      `insert into public.job_runs (job, started_at) values ('metrics-nightly', '2026-03-08T02:00Z') returning id`,
    )
    await runNightlyMetricsAsServiceRole(t.db, night('2026-03-08'))
    expect(await t.db.query('select status, error from public.job_runs where id = $1', [stale?.id])).toEqual([
      { status: 'failed', error: 'abandoned: the run never finished' },
    ])
  })

  // On PGlite's one connection the runs take turns, which the run-twice test above covers already.
  it.skipIf(!process.env.DATABASE_URL)(
    'should not double-count when runs overlap: one row per day, each counted once (needs DATABASE_URL: PGlite is one connection, so runs cannot overlap)',
    async () => {
      const overlapping = await Promise.all(
        [1, 2, 3].map(() => runNightlyMetricsAsServiceRole(t.db, night('2026-03-10'))),
      )
      const statuses = overlapping.map((r) => r.status)
      expect(statuses).toContain('succeeded')
      expect(statuses.every((s) => s === 'succeeded' || s === 'skipped')).toBe(true)
      expect(await days()).toEqual([
        '2026-03-04 1 0',
        '2026-03-05 1 0',
        '2026-03-06 1 0',
        '2026-03-07 1 0',
        '2026-03-08 1 0',
        '2026-03-09 1 0',
      ])
    },
  )

  it.skipIf(!process.env.DATABASE_URL)(
    'should skip, writing nothing, while another run holds the lock (needs DATABASE_URL: PGlite is one connection)',
    async () => {
      const lockKey = `hashtext('jobs:' || array_to_string(array(select unnest('{metrics-backfill,metrics-nightly}'::text[]) order by 1), ','))`
      const run = await t.db.transaction(async (tx) => {
        await tx.query(`select pg_advisory_xact_lock(${lockKey})`)
        return runNightlyMetricsAsServiceRole(t.db, night('2026-03-12'))
      })
      expect(run).toMatchObject({ status: 'skipped', rows: 0, error: 'another run held the lock' })
      expect((await days()).at(-1)).toBe('2026-03-09 1 0')
    },
  )
})
