import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiClient, testJwtSecret, tokenFor } from '../../../tests/support/api.ts'
import {
  addMember,
  createFixture,
  createOrganization,
  type Fixture,
} from '../../../tests/support/fixtures.ts'
import { createTestDatabase, type TestDatabase } from '../../../tests/support/test-database.ts'
import { createApp } from '../../app.ts'
import { parseApiConfig } from '../../config.ts'
import { customerPhases } from '../../domain/vocabulary.ts'
import { backfillDailyMetricsAsServiceRole } from '../../jobs/daily-metrics.ts'

/** The app's clock: 23:30 on 2026-03-10 in New York (already 03-11 in UTC). */
const now = new Date('2026-03-11T03:30:00.000Z')
/** Every phase, zeros included, as daily_metrics stores a count per phase. */
const byPhase = (counts: Record<string, number>) => ({
  ...Object.fromEntries(customerPhases.map((p) => [p, 0])),
  ...counts,
})

describe('daily metrics API', () => {
  let t: TestDatabase
  let f: Fixture
  let request: ReturnType<typeof apiClient>
  let orgNY: string
  const tokens: Record<string, string> = {}
  const url = (from: string, to: string, org = orgNY) => `/orgs/${org}/metrics/daily?from=${from}&to=${to}`

  /** Runs `sql` as the superuser and dates the timeline events it caused `at`. */
  async function happened(at: string, sql: string, params: unknown[]) {
    const [{ start }] = (await t.db.query<{ start: Date }>('select now() as start')) as [{ start: Date }]
    await t.db.query(sql, params)
    await t.db.query('update public.timeline_events set occurred_at = $1 where occurred_at >= $2', [
      at,
      start,
    ])
  }

  beforeAll(async () => {
    t = await createTestDatabase()
    f = await createFixture(t.db)
    const config = parseApiConfig({
      SUPABASE_JWT_SECRET: testJwtSecret,
      CORS_ORIGINS: 'http://localhost:8787',
    })
    request = apiClient(createApp({ db: t.db, config, clock: () => now, log: () => {} }))
    for (const [name, user] of Object.entries(f.users))
      tokens[name] = await tokenFor(user.id, { issuedAt: now })

    orgNY = await createOrganization(t.db, 'New York Org')
    await t.db.query(`update public.organizations set time_zone = 'America/New_York' where id = $1`, [orgNY])
    await addMember(t.db, orgNY, f.users.manager.id, 'owner')
    await addMember(t.db, orgNY, f.users.viewer.id, 'viewer')
    const insert = `insert into public.customers (org_id, name, phase, created_at) values ($1, $2, 'lead', $3)`
    await happened('2026-03-09T15:00:00Z', insert, [orgNY, 'c1', '2026-03-09T15:00:00Z'])
    // 03-09 is stored by a run at noon on 03-10; then today (03-10 in New York) goes on.
    await backfillDailyMetricsAsServiceRole(
      t.db,
      { from: '2026-03-09', to: '2026-03-09' },
      new Date('2026-03-10T12:00:00Z'),
    )
    await happened('2026-03-10T20:00:00Z', insert, [orgNY, 'c2', '2026-03-10T20:00:00Z'])
    await happened(
      '2026-03-11T03:00:00Z',
      `update public.customers set phase = 'won' where name = 'c1' and org_id = $1`,
      [orgNY],
    )
  }, 60_000)
  afterAll(() => t?.close())

  it('should answer the stored days and today computed live, in the organization’s time zone', async () => {
    const res = await request('GET', url('2026-03-08', '2026-03-12'), { token: tokens.viewer })
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('private, max-age=0')
    expect(res.json).toMatchObject({
      org_id: orgNY,
      time_zone: 'America/New_York',
      today: '2026-03-10',
      from: '2026-03-08',
      to: '2026-03-12',
    })
    // 03-08 was never computed, 03-11 and 03-12 have not come: absent.
    expect(res.json.days.map((d: { day: string; live: boolean }) => `${d.day} ${d.live}`)).toEqual([
      '2026-03-09 false',
      '2026-03-10 true',
    ])
    const [stored, today] = res.json.days
    expect(stored).toMatchObject({
      customers_by_phase: byPhase({ lead: 1 }),
      new_customers: 1,
      conversions_won: 0,
      // Stored by a run within a day of its end: the snapshots are there (no services, no processes).
      monthly_service_hours: 0,
      processes_by_status: { planned: 0, in_progress: 0, blocked: 0, done: 0, cancelled: 0 },
      pipeline_value: '0.00',
      weighted_forecast: '0.00',
      computed_at: '2026-03-10T12:00:00.000Z',
    })
    expect(today).toMatchObject({
      customers_by_phase: byPhase({ lead: 1, won: 1 }),
      new_customers: 1,
      phase_in: byPhase({ won: 1 }),
      phase_out: byPhase({ lead: 1 }),
      conversions_won: 1,
      conversions_lost: 0,
      deleted_customers: 0,
      active_users: 0,
      monthly_service_hours: 0,
      processes_by_status: { planned: 0, in_progress: 0, blocked: 0, done: 0, cancelled: 0 },
      computed_at: now.toISOString(),
    })
    expect(today.events_by_type).toMatchObject({ customer_created: 1, phase_changed: 1, note: 0 })
  })

  it('should answer an empty list for a range with nothing computed', async () => {
    const res = await request('GET', url('2025-01-01', '2025-12-31'), { token: tokens.manager })
    expect(res.status).toBe(200)
    expect(res.json.days).toEqual([])
  })

  it('should answer 404 to a member of another organization and to a user in none', async () => {
    for (const who of ['outsider', 'stranger']) {
      const res = await request('GET', url('2026-03-08', '2026-03-12'), { token: tokens[who] })
      expect(res.status).toBe(404)
      expect(res.json.code).toBe('not_found')
    }
  })

  it('should answer 401 without a token', async () => {
    expect((await request('GET', url('2026-03-08', '2026-03-12'))).status).toBe(401)
  })

  it('should answer 400 naming the field for a reversed range, one over 366 days, or a date that is not one', async () => {
    const cases: [string, string, string][] = [
      ['2026-03-10', '2026-03-09', 'query.to'],
      ['2025-03-10', '2026-03-11', 'query.to'],
      ['2026-02-30', '2026-03-09', 'query.from'],
    ]
    for (const [from, to, field] of cases) {
      const res = await request('GET', url(from, to), { token: tokens.manager })
      expect(res.status, `${from} … ${to}`).toBe(400)
      expect(res.json.errors.map((e: { field: string }) => e.field)).toEqual([field])
    }
    expect((await request('GET', url('2025-03-11', '2026-03-11'), { token: tokens.manager })).status).toBe(
      200,
    )
    const missing = await request('GET', `/orgs/${orgNY}/metrics/daily`, { token: tokens.manager })
    expect(missing.status).toBe(400)
    expect(missing.json.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'query.from',
      'query.to',
    ])
  })
})
