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

/** The app's clock in these tests: every window is counted back from here. */
const now = new Date('2026-06-01T12:00:00.000Z')
const hour = 3_600_000
const day = 24 * hour
const at = (offsetMs: number) => new Date(now.getTime() + offsetMs).toISOString()

describe('metrics API', () => {
  let t: TestDatabase
  let f: Fixture
  let request: ReturnType<typeof apiClient>
  const tokens: Record<string, string> = {}
  let orgM: string

  /** A customer of org M with the creation time and phase a test needs, written as the superuser. */
  async function customer(org: string, phase: string, createdAt: string): Promise<string> {
    const [row] = await t.db.query<{ id: string }>(
      `insert into public.customers (org_id, name, phase, created_at) values ($1, $2, $3, $4) returning id`,
      [org, `${phase} ${createdAt}`, phase, createdAt],
    )
    return (row as { id: string }).id
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

    orgM = await createOrganization(t.db, 'Metrics Org')
    await addMember(t.db, orgM, f.users.manager.id, 'owner')
    await addMember(t.db, orgM, f.users.viewer.id, 'viewer')
    const c1 = await customer(orgM, 'lead', at(-1 * day))
    const c2 = await customer(orgM, 'lead', at(-10 * day))
    const c3 = await customer(orgM, 'won', at(-29 * day))
    await customer(orgM, 'active', at(-30 * day)) // first instant of the last window
    await customer(orgM, 'qualified', at(-30 * day - 1000)) // last second of the previous window
    await customer(orgM, 'lead', at(-59 * day))
    await customer(orgM, 'churned', at(-60 * day)) // first instant of the previous window
    const c8 = await customer(orgM, 'active', at(-61 * day)) // before both windows
    await customer(orgM, 'proposal', at(hour)) // after the clock: in no window
    for (const [customerId, hours] of [
      [c1, 10.5],
      [c3, 20.25],
      [c8, 0.25],
    ] as const) {
      await t.db.query(
        'insert into public.services (org_id, customer_id, name, monthly_hours) values ($1, $2, $3, $4)',
        [orgM, customerId, `Service ${hours}`, hours],
      )
    }
    for (const [customerId, status] of [
      [c1, 'planned'],
      [c1, 'planned'],
      [c2, 'blocked'],
      [c3, 'done'],
    ] as const) {
      await t.db.query(
        'insert into public.processes (org_id, customer_id, name, status) values ($1, $2, $3, $4)',
        [orgM, customerId, `Process ${status}`, status],
      )
    }
    // Only our own events: the ones the customer trigger wrote carry the real time.
    await t.db.query('delete from public.timeline_events where org_id = $1', [orgM])
    for (let i = 1; i <= 12; i++) {
      await t.db.query(
        `insert into public.timeline_events (org_id, customer_id, type, description, occurred_at, actor_id)
         values ($1, $2, 'note', $3, $4, $5)`,
        [orgM, i % 2 ? c1 : null, `Note ${i}`, at(-i * hour), f.users.manager.id],
      )
    }
  })
  afterAll(() => t.close())

  it('should compute every number of the overview from the organization’s rows', async () => {
    const res = await request('GET', `/orgs/${orgM}/metrics/overview`, { token: tokens.manager })
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('private, max-age=0')
    expect(res.json).toMatchObject({
      org_id: orgM,
      as_of: now.toISOString(),
      customers_by_phase: [
        { phase: 'lead', count: 3 },
        { phase: 'qualified', count: 1 },
        { phase: 'proposal', count: 1 },
        { phase: 'negotiation', count: 0 },
        { phase: 'won', count: 1 },
        { phase: 'onboarding', count: 0 },
        { phase: 'active', count: 2 },
        { phase: 'churned', count: 1 },
        { phase: 'lost', count: 0 },
      ],
      new_customers: { last_30_days: 4, previous_30_days: 3, change_percent: 33.3 },
      monthly_service_hours: 31,
      service_hours_by_service: [
        { service: 'Service 20.25', hours: 20.25 },
        { service: 'Service 10.5', hours: 10.5 },
        { service: 'Service 0.25', hours: 0.25 },
      ],
      processes_by_status: [
        { status: 'planned', count: 2 },
        { status: 'in_progress', count: 0 },
        { status: 'blocked', count: 1 },
        { status: 'done', count: 1 },
        { status: 'cancelled', count: 0 },
      ],
    })
  })

  it('should list the ten most recent timeline events, newest first', async () => {
    const res = await request('GET', `/orgs/${orgM}/metrics/overview`, { token: tokens.viewer })
    const events = res.json.recent_events
    expect(events.map((e: { description: string }) => e.description)).toEqual(
      Array.from({ length: 10 }, (_, i) => `Note ${i + 1}`),
    )
    const [note1] = await t.db.query<{ id: string }>(
      `select id from public.timeline_events where org_id = $1 and description = 'Note 1'`,
      [orgM],
    )
    expect(events[0]).toEqual({
      id: note1?.id,
      type: 'note',
      description: 'Note 1',
      occurred_at: at(-hour),
      customer_id: expect.any(String),
      actor_id: f.users.manager.id,
    })
    expect(events[1].customer_id).toBeNull()
  })

  it('should answer zeros and a null change for an organization with nothing yet, then a negative change', async () => {
    const empty = await createOrganization(t.db, 'Empty Org')
    await addMember(t.db, empty, f.users.rep.id, 'rep')
    const res = await request('GET', `/orgs/${empty}/metrics/overview`, { token: tokens.rep })
    expect(res.status).toBe(200)
    expect(res.json.customers_by_phase.map((p: { count: number }) => p.count)).toEqual(Array(9).fill(0))
    expect(res.json.processes_by_status.map((p: { count: number }) => p.count)).toEqual(Array(5).fill(0))
    expect(res.json.new_customers).toEqual({ last_30_days: 0, previous_30_days: 0, change_percent: null })
    expect(res.json.monthly_service_hours).toBe(0)
    expect(res.json.service_hours_by_service).toEqual([])
    expect(res.json.recent_events).toEqual([])

    await customer(empty, 'lead', at(-2 * day))
    for (const days of [31, 40, 50]) await customer(empty, 'lead', at(-days * day))
    const after = await request('GET', `/orgs/${empty}/metrics/overview`, { token: tokens.rep })
    expect(after.json.new_customers).toEqual({ last_30_days: 1, previous_30_days: 3, change_percent: -66.7 })
  })

  it('should sum service hours by name, keep the eight largest and put the rest under Other', async () => {
    const org = await createOrganization(t.db, 'Services Org')
    await addMember(t.db, org, f.users.rep.id, 'rep')
    const c = await customer(org, 'active', at(-2 * day))
    const d = await customer(org, 'active', at(-3 * day))
    // Ten names with 10..100 hours; "S1" twice (on two customers) sums to 1 + 1 = 2.
    const rows: [string, string, number][] = [[d, 'S1', 1]]
    for (let i = 1; i <= 10; i++) rows.push([c, `S${i}`, i === 1 ? 1 : i * 10])
    for (const [customerId, name, hours] of rows) {
      await t.db.query(
        'insert into public.services (org_id, customer_id, name, monthly_hours) values ($1, $2, $3, $4)',
        [org, customerId, name, hours],
      )
    }
    const res = await request('GET', `/orgs/${org}/metrics/overview`, { token: tokens.rep })
    expect(res.json.service_hours_by_service).toEqual([
      { service: 'S10', hours: 100 },
      { service: 'S9', hours: 90 },
      { service: 'S8', hours: 80 },
      { service: 'S7', hours: 70 },
      { service: 'S6', hours: 60 },
      { service: 'S5', hours: 50 },
      { service: 'S4', hours: 40 },
      { service: 'S3', hours: 30 },
      { service: 'Other', hours: 22 },
    ])
    expect(res.json.monthly_service_hours).toBe(542)
  })

  it('should answer 404 to a member of another organization and to a user in none', async () => {
    for (const who of ['outsider', 'stranger']) {
      const res = await request('GET', `/orgs/${orgM}/metrics/overview`, { token: tokens[who] })
      expect(res.status).toBe(404)
      expect(res.json.code).toBe('not_found')
    }
    expect(
      (await request('GET', `/orgs/${f.orgA}/metrics/overview`, { token: tokens.outsider })).status,
    ).toBe(404)
  })

  it('should return 401 without a token and 400 naming a malformed organization id', async () => {
    expect((await request('GET', `/orgs/${orgM}/metrics/overview`)).status).toBe(401)
    const res = await request('GET', '/orgs/not-a-uuid/metrics/overview', { token: tokens.manager })
    expect(res.status).toBe(400)
    expect(res.json.errors.map((e: { field: string }) => e.field)).toEqual(['param.orgId'])
  })
})
