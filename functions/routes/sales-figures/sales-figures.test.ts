import { faker } from '@faker-js/faker'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiClient, createTestApp, expectAnswersDeclared, tokenFor } from '../../../tests/support/api.ts'
import {
  addMember,
  createFixture,
  createOrganization,
  type Fixture,
} from '../../../tests/support/fixtures.ts'
import { createTestDatabase, type TestDatabase } from '../../../tests/support/test-database.ts'
import type { Queryable } from '../../db/database.ts'
import { type CustomerPhase, customerPhases, phasesOf } from '../../domain/vocabulary.ts'
import { runNightlyMetricsAsServiceRole } from '../../jobs/daily-metrics.ts'

const day = 86_400_000

/** A customer written as the superuser, so its times are the test's (the triggers stamp only callers'). */
async function customer(
  db: Queryable,
  org: string,
  c: {
    phase: CustomerPhase
    deal?: string | null
    close?: string | null
    createdAt?: string
    phaseEnteredDaysAgo?: number
  },
): Promise<string> {
  const [row] = await db.query<{ id: string }>(
    `insert into public.customers (org_id, name, phase, deal_value, expected_close_date, created_at, phase_entered_at)
     values ($1, $2, $3, $4, $5, coalesce($6::timestamptz, now()), now() - make_interval(days => $7::int))
     returning id`,
    [
      org,
      `${c.phase} ${faker.company.name()}`,
      c.phase,
      c.deal ?? null,
      c.close ?? null,
      c.createdAt ?? null,
      c.phaseEnteredDaysAgo ?? 0,
    ],
  )
  return (row as { id: string }).id
}

async function service(db: Queryable, org: string, customerId: string, hours: number, rate: string | null) {
  await db.query(
    'insert into public.services (org_id, customer_id, name, monthly_hours, hourly_rate) values ($1, $2, $3, $4, $5)',
    [org, customerId, `Service ${hours}`, hours, rate],
  )
}

async function closedAt(db: Queryable, org: string, customerId: string, phase: 'won' | 'lost', at: string) {
  await db.query(
    `insert into public.timeline_events (org_id, customer_id, type, description, occurred_at, payload)
     values ($1, $2, 'phase_changed', 'closed', $3, jsonb_build_object('old_phase', 'negotiation', 'new_phase', $4::text))`,
    [org, customerId, at, phase],
  )
}

/** Every app the suite builds, so their answers are checked against the OpenAPI document at the end. */
const apps: ReturnType<typeof createTestApp>[] = []
function appAt(db: TestDatabase['db'], now: Date) {
  const testApp = createTestApp(db, {}, { clock: () => now })
  apps.push(testApp)
  return apiClient(testApp.app)
}

describe('sales figures API', () => {
  let t: TestDatabase
  let f: Fixture
  beforeAll(async () => {
    t = await createTestDatabase()
    f = await createFixture(t.db)
  })
  afterAll(async () => {
    for (const app of apps) await expectAnswersDeclared(app)
    await t.close()
  })

  describe('on a small organization worked out by hand', () => {
    // 20 May 2026, noon in Berlin (UTC+2): months and quarters are Berlin's.
    const now = new Date('2026-05-20T10:00:00.000Z')
    let org: string
    let request: ReturnType<typeof appAt>
    let token: string
    const ids: Record<string, string> = {}

    beforeAll(async () => {
      request = appAt(t.db, now)
      token = await tokenFor(f.users.viewer.id, { issuedAt: now })
      org = await createOrganization(t.db, 'Figures by hand')
      await t.db.query(
        `update public.organizations set currency = 'CHF', default_hourly_rate = 100, time_zone = 'Europe/Berlin'
         where id = $1`,
        [org],
      )
      await addMember(t.db, org, f.users.viewer.id, 'viewer')
      ids.a = await customer(t.db, org, {
        phase: 'lead',
        deal: '1000',
        close: '2026-05-31',
        phaseEnteredDaysAgo: 40,
      })
      await service(t.db, org, ids.a, 10, null) // at the org's 100: 1,000 a month
      ids.b = await customer(t.db, org, {
        phase: 'proposal',
        deal: '5000',
        close: '2026-07-15',
        phaseEnteredDaysAgo: 5,
      })
      ids.c = await customer(t.db, org, {
        phase: 'negotiation',
        close: '2026-05-10',
        phaseEnteredDaysAgo: 15,
      })
      await service(t.db, org, ids.c, 2.5, '80') // 200 a month
      ids.e = await customer(t.db, org, { phase: 'qualified', deal: '333.33' })
      ids.w1 = await customer(t.db, org, { phase: 'won', deal: '7000', createdAt: '2026-04-10T10:00:00Z' })
      ids.w2 = await customer(t.db, org, { phase: 'active', deal: '2000', createdAt: '2026-01-01T00:00:00Z' })
      ids.w3 = await customer(t.db, org, { phase: 'lost', deal: '900' })
      ids.l1 = await customer(t.db, org, { phase: 'lost', deal: '100' })
      ids.l2 = await customer(t.db, org, { phase: 'lost' })
      await t.db.query('delete from public.timeline_events where org_id = $1', [org])
      await closedAt(t.db, org, ids.w1, 'won', '2026-05-05T10:00:00Z')
      await closedAt(t.db, org, ids.w2, 'won', '2026-02-10T00:00:00Z')
      await closedAt(t.db, org, ids.w3, 'won', '2026-04-15T00:00:00Z')
      await closedAt(t.db, org, ids.w3, 'lost', '2026-04-18T00:00:00Z') // its last word in April: lost
      await closedAt(t.db, org, ids.l1, 'lost', '2026-04-25T00:00:00Z')
      await closedAt(t.db, org, ids.l2, 'lost', '2026-04-10T00:00:00Z')
      // What the nightly run stored a month ago (20 April).
      await t.db.query(
        `insert into public.daily_metrics (org_id, day, time_zone, customers_by_phase, new_customers, deleted_customers,
           phase_in, phase_out, conversions_won, conversions_lost, events_by_type, active_users, computed_at,
           pipeline_value, weighted_forecast)
         values ($1, '2026-04-20', 'Europe/Berlin', '{}', 0, 0, '{}', '{}', 0, 0, '{}', 0, now(), 18000, 4000.5)`,
        [org],
      )
    })

    it('should value the pipeline by phase, with each phase’s probability, in the org’s currency', async () => {
      const res = await request('GET', `/orgs/${org}/metrics/sales?win_rate_days=30`, { token })
      expect(res.status).toBe(200)
      expect(res.headers.get('cache-control')).toBe('private, max-age=0')
      expect(res.json.currency).toBe('CHF')
      expect(res.json.pipeline).toEqual({
        customers: 4,
        value: '20733.33',
        weighted_value: '5683.33',
        by_phase: [
          { phase: 'lead', probability: 10, customers: 1, value: '13000.00', weighted_value: '1300.00' },
          { phase: 'qualified', probability: 25, customers: 1, value: '333.33', weighted_value: '83.33' },
          { phase: 'proposal', probability: 50, customers: 1, value: '5000.00', weighted_value: '2500.00' },
          {
            phase: 'negotiation',
            probability: 75,
            customers: 1,
            value: '2400.00',
            weighted_value: '1800.00',
          },
        ],
        month_ago: { day: '2026-04-20', value: '18000.00', weighted_value: '4000.50' },
      })
    })

    it('should value every phase, the board’s columns, closed ones at 100 % won and 0 % lost', async () => {
      const { by_phase } = (await request('GET', `/orgs/${org}/metrics/sales`, { token })).json
      const zero = { customers: 0, value: '0.00', weighted_value: '0.00' }
      expect(by_phase).toEqual([
        { phase: 'lead', customers: 1, value: '13000.00', weighted_value: '1300.00' },
        { phase: 'qualified', customers: 1, value: '333.33', weighted_value: '83.33' },
        { phase: 'proposal', customers: 1, value: '5000.00', weighted_value: '2500.00' },
        { phase: 'negotiation', customers: 1, value: '2400.00', weighted_value: '1800.00' },
        { phase: 'won', customers: 1, value: '7000.00', weighted_value: '7000.00' },
        { phase: 'onboarding', ...zero },
        { phase: 'active', customers: 1, value: '2000.00', weighted_value: '2000.00' },
        { phase: 'churned', ...zero },
        { phase: 'lost', customers: 3, value: '1000.00', weighted_value: '0.00' },
      ])
    })

    it('should forecast by close month over this quarter and the next two, with overdue and undated apart', async () => {
      const { forecast } = (await request('GET', `/orgs/${org}/metrics/sales`, { token })).json
      const zero = { customers: 0, value: '0.00', weighted_value: '0.00' }
      expect(forecast.months).toEqual(
        ['04', '05', '06', '07', '08', '09', '10', '11', '12'].map((m) => ({
          month: `2026-${m}`,
          ...(m === '05'
            ? { customers: 2, value: '15400.00', weighted_value: '3100.00' }
            : m === '07'
              ? { customers: 1, value: '5000.00', weighted_value: '2500.00' }
              : zero),
        })),
      )
      expect(forecast.overdue).toEqual({ customers: 1, value: '2400.00', weighted_value: '1800.00' })
      expect(forecast.undated).toEqual({ customers: 1, value: '333.33', weighted_value: '83.33' })
    })

    it('should count wins per month and quarter against the same span before, in the org’s time zone', async () => {
      const { won } = (await request('GET', `/orgs/${org}/metrics/sales`, { token })).json
      expect(won.month).toEqual({
        won: 1,
        won_value: '7000.00',
        starts_at: '2026-04-30T22:00:00.000Z',
        ends_at: now.toISOString(),
        previous: {
          won: 0,
          won_value: '0.00',
          starts_at: '2026-03-31T22:00:00.000Z',
          ends_at: '2026-04-20T10:00:00.000Z',
        },
      })
      expect(won.quarter).toEqual({
        won: 1,
        won_value: '7000.00',
        starts_at: '2026-03-31T22:00:00.000Z',
        ends_at: now.toISOString(),
        previous: {
          won: 1,
          won_value: '2000.00',
          starts_at: '2025-12-31T23:00:00.000Z',
          ends_at: '2026-02-20T11:00:00.000Z',
        },
      })
    })

    it('should give the win rate and days to close over a window, a customer counting once with its last outcome', async () => {
      const { win_rate } = (await request('GET', `/orgs/${org}/metrics/sales?win_rate_days=30`, { token }))
        .json
      expect(win_rate).toEqual({
        days: 30,
        won: 1,
        lost: 1,
        rate: 0.5,
        average_days_to_close: 25,
        starts_at: '2026-04-20T10:00:00.000Z',
        ends_at: now.toISOString(),
        previous: {
          won: 0,
          lost: 2,
          rate: 0,
          average_days_to_close: null,
          starts_at: '2026-03-21T10:00:00.000Z',
          ends_at: '2026-04-20T10:00:00.000Z',
        },
      })
    })

    it('should list customers stuck past their phase’s threshold, the furthest past first', async () => {
      const { stuck } = (await request('GET', `/orgs/${org}/metrics/sales`, { token })).json
      expect(stuck.total).toBe(2)
      expect(stuck.customers.map((s: { id: string }) => s.id)).toEqual([ids.a, ids.c])
      expect(stuck.customers[0]).toMatchObject({
        phase: 'lead',
        days_in_phase: 40,
        stuck_after_days: 30,
        value: '13000.00',
      })
    })

    it('should refuse a win-rate window out of range and unknown parameters with a 400', async () => {
      for (const query of ['win_rate_days=6', 'win_rate_days=366', 'win_rate_days=ninety', 'period=month']) {
        const res = await request('GET', `/orgs/${org}/metrics/sales?${query}`, { token })
        expect(res.status, query).toBe(400)
        expect(res.headers.get('content-type')).toContain('application/problem+json')
      }
    })

    it('should answer 404 to a member of another organization, to a user in none and for an unknown org', async () => {
      for (const who of ['outsider', 'stranger'] as const) {
        const res = await request('GET', `/orgs/${org}/metrics/sales`, {
          token: await tokenFor(f.users[who].id, { issuedAt: now }),
        })
        expect(res.status, who).toBe(404)
      }
      const unknown = await request('GET', `/orgs/${crypto.randomUUID()}/metrics/sales`, { token })
      expect(unknown.status).toBe(404)
    })

    it('should keep the day’s pipeline in the nightly aggregate, as the figures give it', async () => {
      const live = (await request('GET', `/orgs/${org}/metrics/sales`, { token })).json.pipeline
      await t.db.query(`select private.refresh_daily_metrics($1, '2026-05-19', '2026-05-19', $2)`, [org, now])
      const [row] = await t.db.query<{ pipeline_value: string; weighted_forecast: string }>(
        `select pipeline_value::text, weighted_forecast::text from public.daily_metrics where org_id = $1 and day = '2026-05-19'`,
        [org],
      )
      expect(row).toEqual({ pipeline_value: live.value, weighted_forecast: live.weighted_value })
      // Kept once stored: a later run (a week on, the pipeline changed) does not rewrite the day.
      await t.db.query(`update public.customers set deal_value = 99999 where id = $1`, [ids.b])
      await t.db.query(`select private.refresh_daily_metrics($1, '2026-05-19', '2026-05-19', $2)`, [
        org,
        new Date(now.getTime() + 7 * day),
      ])
      const [again] = await t.db.query<{ pipeline_value: string }>(
        `select pipeline_value::text from public.daily_metrics where org_id = $1 and day = '2026-05-19'`,
        [org],
      )
      expect(again?.pipeline_value).toBe(live.value)
      await t.db.query(`update public.customers set deal_value = 5000 where id = $1`, [ids.b])
    })
  })

  describe('at the largest amounts the columns take', () => {
    // One organization's sums must never stop another's figures: nothing bounds
    // how many customers an org has, so no sum of money may have a fixed precision.
    const now = new Date(Math.floor(Date.now() / 1000) * 1000)
    const maxDeal = 99_999_999_999_999n // 999,999,999,999.99 in cents: numeric(14, 2)
    const maxRate = 999_999_999_999n // 9,999,999,999.99 in cents: numeric(12, 2)
    const maxHours = 10_000n
    const customers = 101n

    it('should sum exactly, and keep the nightly run going for every organization', async () => {
      const org = await createOrganization(t.db, 'Figures at the limits')
      await addMember(t.db, org, f.users.viewer.id, 'viewer')
      await t.db.query(
        `insert into public.customers (org_id, name, phase, deal_value)
         select $1, 'Huge ' || g, 'lead', 999999999999.99 from generate_series(1, $2::int) g`,
        [org, Number(customers)],
      )
      const [first] = await t.db.query<{ id: string }>(
        `select id from public.customers where org_id = $1 order by name limit 1`,
        [org],
      )
      await service(t.db, org, first?.id as string, Number(maxHours), '9999999999.99')
      const token = await tokenFor(f.users.viewer.id, { issuedAt: now })
      const answer = await appAt(t.db, now)('GET', `/orgs/${org}/metrics/sales`, { token })
      expect(answer.status).toBe(200)

      // Worked out here in integer cents: deals, plus twelve months of the one service.
      const value = customers * maxDeal + 12n * maxHours * maxRate
      const weightedEach = (maxDeal * 10n + 50n) / 100n // a lead's 10 %, rounded to the cent
      const serviceYear = 12n * maxHours * maxRate
      const weighted = (customers - 1n) * weightedEach + ((maxDeal + serviceYear) * 10n + 50n) / 100n
      const asAmount = (cents: bigint) => `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`
      expect(answer.json.pipeline).toMatchObject({
        customers: Number(customers),
        value: asAmount(value),
        weighted_value: asAmount(weighted),
      })

      const run = await runNightlyMetricsAsServiceRole(t.db, now)
      expect(run).toMatchObject({ status: 'succeeded', error: null })
      const [stored] = await t.db.query<{ pipeline_value: string }>(
        `select pipeline_value::text from public.daily_metrics where org_id = $1 and pipeline_value is not null
         order by day desc limit 1`,
        [org],
      )
      expect(stored?.pipeline_value).toBe(asAmount(value))
    })
  })

  describe('on a generated organization, against the same figures worked out here from its rows', () => {
    const now = new Date(Math.floor(Date.now() / 1000) * 1000)
    let org: string
    let request: ReturnType<typeof appAt>
    let token: string

    beforeAll(async () => {
      faker.seed(19)
      request = appAt(t.db, now)
      token = await tokenFor(f.users.rep.id, { issuedAt: now })
      org = await createOrganization(t.db, 'Figures generated')
      await t.db.query(`update public.organizations set default_hourly_rate = 95.5 where id = $1`, [org])
      await addMember(t.db, org, f.users.rep.id, 'rep')
      await t.db.query(
        `update public.phase_settings set probability = 33, stuck_after_days = 9 where org_id = $1 and phase = 'qualified'`,
        [org],
      )
      await t.db.query('delete from public.timeline_events where org_id = $1', [org])
      for (let i = 0; i < 90; i++) {
        const phase = faker.helpers.arrayElement(customerPhases)
        const close = faker.helpers.maybe(() =>
          faker.date.soon({ days: 400, refDate: now.getTime() - 120 * day }),
        )
        const id = await customer(t.db, org, {
          phase,
          deal: faker.helpers.maybe(() => faker.finance.amount({ min: 0, max: 90000, dec: 2 })) ?? null,
          close: close?.toISOString().slice(0, 10) ?? null,
          createdAt: faker.date.past({ years: 1, refDate: now.getTime() - 200 * day }).toISOString(),
          phaseEnteredDaysAgo: faker.number.int({ min: 0, max: 60 }),
        })
        for (let s = faker.number.int({ min: 0, max: 3 }); s > 0; s--)
          await service(
            t.db,
            org,
            id,
            faker.number.float({ min: 0.25, max: 80, multipleOf: 0.25 }),
            faker.helpers.maybe(() => faker.finance.amount({ min: 40, max: 200, dec: 2 })) ?? null,
          )
        for (let e = faker.number.int({ min: 0, max: 2 }); e > 0; e--)
          await closedAt(
            t.db,
            org,
            id,
            faker.helpers.arrayElement(['won', 'lost'] as const),
            faker.date.recent({ days: 200, refDate: now }).toISOString(),
          )
      }
    })

    /** Each customer's value and weighted value, by the definitions (docs/metrics.md), from the tables alone: won phases count whole. */
    async function valuesFromTables() {
      return t.db.query<{
        id: string
        phase: CustomerPhase
        close: string | null
        created_at: Date | string
        days_in_phase: number
        stuck_after: number | null
        value: string
        weighted: string
      }>(
        `select c.id, c.phase::text as phase, to_char(c.expected_close_date, 'YYYY-MM-DD') as close, c.created_at,
                floor(extract(epoch from now() - c.phase_entered_at) / 86400)::int as days_in_phase,
                ps.stuck_after_days as stuck_after,
                (coalesce(c.deal_value, 0) + 12 * coalesce(s.mrr, 0))::text as value,
                round((coalesce(c.deal_value, 0) + 12 * coalesce(s.mrr, 0))
                      * case when c.phase::text = any($2::text[]) then 100 else coalesce(ps.probability, 0) end / 100, 2)::text
                  as weighted
         from public.customers c
         join public.phase_settings ps on ps.org_id = c.org_id and ps.phase = c.phase
         left join (select s.customer_id, sum(round(s.monthly_hours * coalesce(s.hourly_rate, o.default_hourly_rate), 2)) as mrr
                    from public.services s join public.organizations o on o.id = s.org_id
                    group by s.customer_id) s on s.customer_id = c.id
         where c.org_id = $1`,
        [org, `{${phasesOf('won').join(',')}}`],
      )
    }
    const cents = (amount: string) => {
      const [whole = '0', fraction = ''] = amount.split('.')
      return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2))
    }
    const money = (total: bigint) => `${total / 100n}.${String(total % 100n).padStart(2, '0')}`

    it('should match the pipeline and forecast summed here from each customer’s value', async () => {
      const res = await request('GET', `/orgs/${org}/metrics/sales`, { token })
      expect(res.status).toBe(200)
      const rows = await valuesFromTables()
      const open = rows.filter((r) => phasesOf('open').includes(r.phase))
      const sum = (list: typeof rows) => ({
        customers: list.length,
        value: money(list.reduce((a, r) => a + cents(r.value), 0n)),
        weighted_value: money(list.reduce((a, r) => a + cents(r.weighted), 0n)),
      })
      expect(open.length).toBeGreaterThan(10)
      expect(res.json.pipeline).toMatchObject(sum(open))
      for (const phase of res.json.pipeline.by_phase)
        expect(phase, phase.phase).toMatchObject(sum(open.filter((r) => r.phase === phase.phase)))
      expect(res.json.pipeline.by_phase.map((p: { phase: string }) => p.phase)).toEqual(phasesOf('open'))
      for (const phase of res.json.by_phase)
        expect(phase, phase.phase).toMatchObject(sum(rows.filter((r) => r.phase === phase.phase)))
      expect(res.json.by_phase.map((p: { phase: string }) => p.phase)).toEqual(customerPhases)
      for (const month of res.json.forecast.months)
        expect(month, month.month).toMatchObject(sum(open.filter((r) => r.close?.startsWith(month.month))))
      expect(res.json.forecast.months.some((m: { customers: number }) => m.customers > 0)).toBe(true)
      expect(res.json.forecast.undated).toEqual(sum(open.filter((r) => r.close === null)))
      const today = now.toISOString().slice(0, 10) // the organization keeps UTC
      expect(res.json.forecast.overdue).toEqual(sum(open.filter((r) => r.close !== null && r.close < today)))
      const quarterStart = new Date(Date.UTC(now.getUTCFullYear(), Math.floor(now.getUTCMonth() / 3) * 3, 1))
      expect(res.json.forecast.months[0].month).toBe(quarterStart.toISOString().slice(0, 7))
    })

    it('should match the wins, win rate and days to close counted here from the timeline', async () => {
      const res = await request('GET', `/orgs/${org}/metrics/sales?win_rate_days=45`, { token })
      const values = new Map((await valuesFromTables()).map((r) => [r.id, r]))
      const events = await t.db.query<{ customer_id: string; outcome: 'won' | 'lost'; at: Date | string }>(
        `select customer_id, payload ->> 'new_phase' as outcome, occurred_at as at
         from public.timeline_events where org_id = $1 and type = 'phase_changed'`,
        [org],
      )
      const within = (from: string, to: string) => {
        const last = new Map<string, { outcome: string; at: number }>()
        for (const e of events) {
          const at = new Date(e.at).getTime()
          if (at < Date.parse(from) || at >= Date.parse(to)) continue
          const seen = last.get(e.customer_id)
          if (!seen || seen.at < at) last.set(e.customer_id, { outcome: e.outcome, at })
        }
        const won = [...last].filter(([, v]) => v.outcome === 'won')
        const lost = [...last].filter(([, v]) => v.outcome === 'lost')
        const days = won.map(([id, v]) => (v.at - new Date(values.get(id)?.created_at ?? 0).getTime()) / day)
        return {
          won: won.length,
          lost: lost.length,
          won_value: money(won.reduce((a, [id]) => a + cents(values.get(id)?.value ?? '0'), 0n)),
          average_days_to_close:
            days.length === 0 ? null : Math.round((days.reduce((a, d) => a + d, 0) / days.length) * 10) / 10,
        }
      }
      const closed = (p: { starts_at: string; ends_at: string }) => {
        const { won, won_value } = within(p.starts_at, p.ends_at)
        return { won, won_value }
      }
      const { won, win_rate } = res.json
      for (const p of [won.month, won.month.previous, won.quarter, won.quarter.previous])
        expect(p, p.starts_at).toMatchObject(closed(p))
      for (const w of [win_rate, win_rate.previous]) {
        const expected = within(w.starts_at, w.ends_at)
        expect(w).toMatchObject({ won: expected.won, lost: expected.lost })
        expect(w.average_days_to_close).toBeCloseTo(expected.average_days_to_close ?? Number.NaN, 0)
        expect(w.rate).toBe(
          expected.won + expected.lost === 0
            ? null
            : Math.round((expected.won / (expected.won + expected.lost)) * 1000) / 1000,
        )
      }
      expect(win_rate.won + win_rate.lost).toBeGreaterThan(0)
      // The windows: the last 45 days, and the 45 before.
      expect(Date.parse(win_rate.ends_at) - Date.parse(win_rate.starts_at)).toBe(45 * day)
      expect(win_rate.previous.ends_at).toBe(win_rate.starts_at)
      const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))
      expect(won.month.starts_at).toBe(monthStart.toISOString())
    })

    it('should match the stuck customers found here from the thresholds', async () => {
      const res = await request('GET', `/orgs/${org}/metrics/sales`, { token })
      const stuck = (await valuesFromTables())
        .filter((r) => r.stuck_after !== null && r.days_in_phase > r.stuck_after)
        .sort(
          (a, b) =>
            b.days_in_phase - (b.stuck_after ?? 0) - (a.days_in_phase - (a.stuck_after ?? 0)) ||
            (a.id < b.id ? -1 : 1),
        )
      expect(stuck.length).toBeGreaterThan(10)
      expect(res.json.stuck.total).toBe(stuck.length)
      expect(res.json.stuck.customers.map((s: { id: string }) => s.id)).toEqual(
        stuck.slice(0, 10).map((s) => s.id),
      )
    })
  })
})
