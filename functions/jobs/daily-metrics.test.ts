import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addMember, createAuthUser, createOrganization } from '../../tests/support/fixtures.ts'
import { createTestDatabase, type TestDatabase } from '../../tests/support/test-database.ts'
import { customerPhases } from '../domain/vocabulary.ts'
import { backfillDailyMetricsAsServiceRole } from './daily-metrics.ts'

/**
 * One known story, its numbers worked out by hand below (not read back from
 * the function). New York is on daylight time (UTC−4) from 2026-03-08, so its
 * 2026-03-10 is [03-10T04:00Z, 03-11T04:00Z).
 */
/** Every phase, zeros included, as daily_metrics stores a count per phase. */
const byPhase = (counts: Record<string, number>) => ({
  ...Object.fromEntries(customerPhases.map((p) => [p, 0])),
  ...counts,
})

/** The job's clock: 03:00 in New York on 2026-03-11, so 03-10 has just ended there and in UTC. */
const jobNow = new Date('2026-03-11T07:00:00Z')

describe('daily metrics from the timeline', () => {
  let t: TestDatabase
  let orgNY: string
  let orgUTC: string
  let testStart: string
  const users: Record<'u1' | 'u2' | 'u3', string> = { u1: '', u2: '', u3: '' }
  const customers: Record<string, string> = {}

  /** Does `op` (as the superuser, so the triggers write its events now) and dates its new events `at`, by `actor`. */
  async function happened(at: string, actor: string | null, op: () => Promise<unknown>) {
    await op()
    await t.db.query(
      'update public.timeline_events set occurred_at = $1, actor_id = $2 where occurred_at >= $3',
      [at, actor, testStart],
    )
  }
  const create = (org: string, name: string, phase: string, at: string, actor: string | null = null) =>
    happened(at, actor, async () => {
      const [row] = await t.db.query<{ id: string }>(
        'insert into public.customers (org_id, name, phase, created_at) values ($1, $2, $3, $4) returning id',
        [org, name, phase, at],
      )
      customers[name] = (row as { id: string }).id
    })
  const move = (name: string, phase: string, at: string, actor: string) =>
    happened(at, actor, () =>
      t.db.query('update public.customers set phase = $2 where id = $1', [customers[name], phase]),
    )
  const remove = (name: string, at: string, actor: string) =>
    happened(at, actor, () => t.db.query('delete from public.customers where id = $1', [customers[name]]))

  async function stored(org: string, day: string) {
    const [row] = await t.db.query<Record<string, unknown>>(
      `select customers_by_phase, new_customers, deleted_customers, phase_in, phase_out,
              conversions_won, conversions_lost, events_by_type, active_users,
              monthly_service_hours::float8 as monthly_service_hours, processes_by_status, time_zone
       from public.daily_metrics where org_id = $1 and day = $2`,
      [org, day],
    )
    return row
  }

  beforeAll(async () => {
    t = await createTestDatabase()
    testStart = ((await t.db.query<{ now: Date }>('select now()'))[0] as { now: Date }).now.toISOString()
    for (const name of ['u1', 'u2', 'u3'] as const)
      users[name] = (await createAuthUser(t.db, `${name}@example.com`)).id
    orgNY = await createOrganization(t.db, 'New York Org')
    orgUTC = await createOrganization(t.db, 'UTC Org')
    await t.db.query(`update public.organizations set time_zone = 'America/New_York' where id = $1`, [orgNY])
    for (const id of Object.values(users)) await addMember(t.db, orgNY, id, 'manager')
    const { u1, u2, u3 } = users

    // 2026-03-09 in New York.
    await create(orgNY, 'c1', 'lead', '2026-03-09T15:00:00Z', u3)
    await create(orgNY, 'c2', 'lead', '2026-03-09T16:00:00Z', u3)
    await create(orgNY, 'c3', 'qualified', '2026-03-09T17:00:00Z', u3)
    await create(orgNY, 'c5', 'proposal', '2026-03-10T03:30:00Z', u3) // 23:30 on 03-09 in New York
    // 2026-03-10 in New York.
    await create(orgNY, 'c4', 'lead', '2026-03-10T05:00:00Z', u3)
    await create(orgNY, 'c6', 'lead', '2026-03-10T12:00:00Z', u3)
    await move('c2', 'won', '2026-03-10T14:00:00Z', u2)
    await move('c3', 'lost', '2026-03-10T15:00:00Z', u1)
    await move('c2', 'onboarding', '2026-03-10T16:00:00Z', u2)
    await happened('2026-03-10T18:00:00Z', u1, () =>
      t.db.query(
        `insert into public.timeline_events (org_id, customer_id, type, description) values ($1, $2, 'note', 'Called')`,
        [orgNY, customers.c1],
      ),
    )
    await remove('c6', '2026-03-10T20:00:00Z', u2)
    await remove('c3', '2026-03-10T21:00:00Z', u1)
    await move('c1', 'qualified', '2026-03-11T03:30:00Z', u1) // 23:30 on 03-10 in New York
    // Later: undone when counting back to the end of 03-10.
    await move('c4', 'proposal', '2026-03-12T12:00:00Z', u2)
    await create(orgNY, 'c7', 'active', '2026-03-12T13:00:00Z', u2)

    // UTC: 23:30 on 03-10, and 00:30 on 03-11.
    await create(orgUTC, 'k1', 'lead', '2026-03-10T23:30:00Z')
    await create(orgUTC, 'k2', 'lead', '2026-03-11T00:30:00Z')

    // Snapshots (no history in the timeline): 12.5 + 7.25 hours; one planned and one done process.
    for (const [name, hours] of [
      ['c1', 12.5],
      ['c2', 7.25],
    ] as const) {
      await t.db.query(
        'insert into public.services (org_id, customer_id, name, monthly_hours) values ($1, $2, $3, $4)',
        [orgNY, customers[name], `Service of ${name}`, hours],
      )
    }
    for (const [name, status] of [
      ['c1', 'planned'],
      ['c2', 'done'],
    ] as const) {
      await t.db.query(
        'insert into public.processes (org_id, customer_id, name, status) values ($1, $2, $3, $4)',
        [orgNY, customers[name], `Process of ${name}`, status],
      )
    }

    const run = await backfillDailyMetricsAsServiceRole(
      t.db,
      { from: '2026-03-09', to: '2026-03-10' },
      jobNow,
    )
    expect(run).toMatchObject({ job: 'metrics-backfill', status: 'succeeded', rows: 4, error: null })
  }, 60_000)
  afterAll(() => t?.close())

  it('should count a New York day in New York time: phase moves in and out, conversions, deletions, people', async () => {
    expect(await stored(orgNY, '2026-03-10')).toEqual({
      time_zone: 'America/New_York',
      // c1 qualified (moved at 23:30 local), c2 onboarding, c4 still lead (moved on 03-12), c5 proposal;
      // c3 and c6 deleted during the day; c7 not yet created.
      customers_by_phase: byPhase({ lead: 1, qualified: 1, proposal: 1, onboarding: 1 }),
      new_customers: 2, // c4, c6 (c5's 03:30Z is still 03-09 in New York)
      deleted_customers: 2, // c6, c3
      phase_in: byPhase({ qualified: 1, won: 1, lost: 1, onboarding: 1 }),
      phase_out: byPhase({ lead: 2, qualified: 1, won: 1 }),
      conversions_won: 1,
      conversions_lost: 1,
      events_by_type: expect.objectContaining({
        customer_created: 2,
        phase_changed: 4,
        customer_deleted: 2,
        note: 1,
        owner_changed: 0,
        process_status_changed: 0,
        document_added: 0,
      }),
      active_users: 3, // u1, u2, u3
      monthly_service_hours: 19.75,
      processes_by_status: { planned: 1, in_progress: 0, blocked: 0, done: 1, cancelled: 0 },
    })
  })

  it('should put an event at 23:30 local time on that local day', async () => {
    expect(await stored(orgNY, '2026-03-09')).toMatchObject({
      customers_by_phase: byPhase({ lead: 2, qualified: 1, proposal: 1 }),
      new_customers: 4, // c1, c2, c3 and c5 at 23:30
      deleted_customers: 0,
      phase_in: byPhase({}),
      active_users: 1,
    })
    expect(await stored(orgUTC, '2026-03-10')).toMatchObject({
      time_zone: 'UTC',
      customers_by_phase: byPhase({ lead: 1 }),
      new_customers: 1,
    })
    expect(await stored(orgUTC, '2026-03-09')).toMatchObject({
      customers_by_phase: byPhase({}),
      new_customers: 0,
    })
  })

  it('should leave the snapshots out of a day filled more than a day after it ended', async () => {
    expect(await stored(orgNY, '2026-03-09')).toMatchObject({
      monthly_service_hours: null,
      processes_by_status: null,
    })
  })

  it('should not store a day that has not ended in the organization’s time zone', async () => {
    const run = await backfillDailyMetricsAsServiceRole(
      t.db,
      { from: '2026-03-11', to: '2026-03-11' },
      new Date('2026-03-12T02:00:00Z'), // 22:00 on 03-11 in New York, 02:00 on 03-12 in UTC
    )
    expect(run.rows).toBe(1)
    expect(await stored(orgNY, '2026-03-11')).toBeUndefined()
    expect(await stored(orgUTC, '2026-03-11')).toMatchObject({
      customers_by_phase: byPhase({ lead: 2 }),
      new_customers: 1,
    })
  })

  it('should write the same rows when a day is computed again, later, after today’s data moved', async () => {
    const all = () =>
      t.db
        .query(`select * from public.daily_metrics where org_id = $1 order by day`, [orgNY])
        .then(JSON.stringify)
    const before = await all()
    await backfillDailyMetricsAsServiceRole(t.db, { from: '2026-03-09', to: '2026-03-10' }, jobNow)
    expect(await all()).toBe(before)
    // Today's changes: a new customer, a phase move, more service hours. The past stays put.
    await t.db.query('update public.services set monthly_hours = 100 where org_id = $1', [orgNY])
    await t.db.query(`update public.customers set phase = 'active' where id = $1`, [customers.c2])
    await t.db.query(`insert into public.customers (org_id, name) values ($1, 'today')`, [orgNY])
    const later = await backfillDailyMetricsAsServiceRole(
      t.db,
      { from: '2026-03-09', to: '2026-03-10' },
      new Date('2026-03-20T07:00:00Z'),
    )
    expect(later.status).toBe('succeeded')
    expect(await all()).toBe(before)
  })

  it('should refuse an organization time zone Postgres does not know', async () => {
    await expect(
      t.db.query(`update public.organizations set time_zone = 'Mars/Olympus_Mons' where id = $1`, [orgUTC]),
    ).rejects.toThrow(/organizations_time_zone_known/)
    await t.db.query(`update public.organizations set time_zone = 'Europe/Berlin' where id = $1`, [orgUTC])
    await t.db.query(`update public.organizations set time_zone = 'UTC' where id = $1`, [orgUTC])
  })

  it('should refuse a backfill range that is reversed, too long or not a date', async () => {
    await expect(
      backfillDailyMetricsAsServiceRole(t.db, { from: '2026-03-10', to: '2026-03-09' }),
    ).rejects.toThrow(/--from must not be after --to/)
    await expect(
      backfillDailyMetricsAsServiceRole(t.db, { from: '2025-01-01', to: '2026-03-09' }),
    ).rejects.toThrow(/at most 366 days/)
    await expect(
      backfillDailyMetricsAsServiceRole(t.db, { from: '2026-02-30', to: '2026-03-09' }),
    ).rejects.toThrow(/--from must be a date/)
  })
})
