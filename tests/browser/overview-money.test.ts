import { createServer } from 'node:net'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../functions/db/database.ts'
import { openPGlite, pgliteDatabase } from '../../functions/db/pglite.ts'
import { createPostgresDatabase } from '../../functions/db/postgres.ts'
import { phasesOf } from '../../functions/domain/vocabulary.ts'
import type { Page as ApiPage, Customer, SalesFigures } from '../../web/src/api/types.ts'
import { formatMoney, formatMoneyShort } from '../../web/src/format/money.ts'
import { formatRate } from '../../web/src/format/numbers.ts'
import { type StartedStack, startStackProcess, stopStackProcess } from '../support/start-process.ts'
import { hasChromium, launchChromium, noChromiumReason, openPage } from './support/chromium.ts'
import { apiGet, apiSend, apiTokenFor, signIn } from './support/dashboard.ts'
import type { StackData } from './support/prepared-stack.ts'
import { type BrowserStack, copyPreparedStackData } from './support/stack.ts'
import { customerValuesFromTables } from './support/values-from-tables.ts'

const suite = hasChromium ? describe : describe.skip
const title = hasChromium
  ? 'dashboard: the overview’s money'
  : `dashboard: the overview’s money (skipped: ${noChromiumReason})`

/** The test browser's locale (support/chromium.ts): what the page formats with. */
const locale = 'en-GB'
const day = 86_400_000

/** A free port, so the stack comes back where the open pages expect it after a restart. */
async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  await new Promise((resolve) => server.close(resolve))
  return port
}

const chartsDrawn = (page: Page) =>
  page.waitForFunction(() => performance.getEntriesByName('overview-charts-drawn').length > 0)

/** The figures the overview shows; each one is in the API's answer and worked out again in SQL below. */
type ShownFigures = Pick<SalesFigures, 'currency' | 'forecast' | 'win_rate'> & {
  pipeline: Pick<SalesFigures['pipeline'], 'customers' | 'value' | 'weighted_value' | 'month_ago'>
  won: { month: Pick<SalesFigures['won']['month'], 'won' | 'won_value'> }
  stuck: { total: number; customers: Omit<SalesFigures['stuck']['customers'][number], 'owner_id'>[] }
}

/** What the page should read for these figures, as text, in the browser's locale. */
function expectedText(f: ShownFigures, org: string) {
  const money = (amount: string) => formatMoney(amount, f.currency, locale)
  const count = (n: number) => n.toLocaleString(locale)
  const month = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' })
  const amounts = (label: string, a: { customers: number; value: string; weighted_value: string }) => [
    label,
    count(a.customers),
    money(a.value),
    money(a.weighted_value),
  ]
  return {
    kpis: [
      formatMoneyShort(f.pipeline.value, f.currency, locale),
      formatMoneyShort(f.pipeline.weighted_value, f.currency, locale),
      formatMoneyShort(f.won.month.won_value, f.currency, locale),
      f.win_rate.rate === null ? '–' : formatRate(f.win_rate.rate, locale),
    ],
    // The whole amounts are in the sentences screen readers read (and the hover titles).
    wholeAmounts: [money(f.pipeline.value), money(f.pipeline.weighted_value), money(f.won.month.won_value)],
    pipelineCustomers: `${count(f.pipeline.customers)} open ${f.pipeline.customers === 1 ? 'customer' : 'customers'}`,
    wonCustomers: `${count(f.won.month.won)} ${f.won.month.won === 1 ? 'customer' : 'customers'} won so far`,
    forecast: [
      ...f.forecast.months.map((m) => amounts(month.format(new Date(`${m.month}-01T00:00:00Z`)), m)),
      amounts('Overdue (in their months above)', f.forecast.overdue),
      amounts('Undated', f.forecast.undated),
    ],
    stuckTotal: f.stuck.total,
    stuck: f.stuck.customers.map((c) => ({
      name: c.name,
      href: `#/orgs/${org}/customers/${c.id}/timeline`,
      value: money(c.value),
      days: `${count(c.days_in_phase)} / ${count(c.stuck_after_days)}`,
    })),
  }
}

/** The same, read from the page: the KPI cards, the forecast's table (behind "Show the numbers") and the stuck list. */
async function shownText(page: Page) {
  const region = (name: string) => page.getByRole('region', { name, exact: true })
  const regions = ['Pipeline value', 'Weighted forecast', 'Won this month', 'Win rate'].map(region)
  const text = async (locator: ReturnType<Page['locator']>) => (await locator.textContent())?.trim() ?? ''
  const kpis = await Promise.all(regions.map((r) => text(r.locator('.kpi-value'))))
  const spoken = await Promise.all(regions.map((r) => text(r.locator('.visually-hidden'))))
  const forecast = await page
    .getByRole('table', { name: 'Forecast by close month', exact: true, includeHidden: true })
    .locator('tbody tr, tfoot tr')
    .evaluateAll((trs) =>
      trs.map((tr) =>
        Array.from(tr.querySelectorAll('th, td')).map((cell) => cell.textContent?.trim() ?? ''),
      ),
    )
  const stuckRegion = page.getByRole('region', { name: 'Stuck customers' })
  const total = await stuckRegion.locator('.stuck-total').count()
  const stuck = await stuckRegion.locator('.stuck-item').evaluateAll((items) =>
    items.map((li) => ({
      name: li.querySelector('.stuck-name')?.textContent?.trim() ?? '',
      href: li.querySelector('.stuck-name')?.getAttribute('href') ?? '',
      value: li.querySelector('.stuck-value')?.textContent?.trim() ?? '',
      days: li.querySelector('.stuck-days')?.textContent?.replace(/\s+/g, ' ').trim() ?? '',
    })),
  )
  return {
    kpis,
    spoken,
    pipelineCustomers: await text(region('Pipeline value').locator('.kpi-sub')),
    wonCustomers: await text(region('Won this month').locator('.kpi-sub')),
    forecast,
    stuckTotal:
      total === 0 ? 0 : Number((await text(stuckRegion.locator('.stuck-total'))).replace(/\D/g, '')),
    stuck,
  }
}

function expectShown(
  shown: Awaited<ReturnType<typeof shownText>>,
  figures: ShownFigures,
  org: string,
  who: string,
) {
  const expected = expectedText(figures, org)
  expect(shown.kpis, who).toEqual(expected.kpis)
  for (const [i, amount] of expected.wholeAmounts.entries()) expect(shown.spoken[i], who).toContain(amount)
  expect(shown.pipelineCustomers, who).toBe(expected.pipelineCustomers)
  expect(shown.wonCustomers, who).toBe(expected.wonCustomers)
  expect(shown.forecast, who).toEqual(expected.forecast)
  expect(shown.stuckTotal, who).toBe(expected.stuckTotal)
  expect(shown.stuck, who).toEqual(expected.stuck)
}

const cents = (amount: string) => {
  const [whole = '0', fraction = ''] = amount.split('.')
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2))
}
const money = (total: bigint) => `${total / 100n}.${String(total % 100n).padStart(2, '0')}`

/**
 * The figures worked out from the tables alone, by the definitions
 * (docs/metrics.md, "Sales figures"), as of the API's clock: each customer's
 * value from its deal and its services' hours and rates, the sums in exact
 * cents, the periods' wins and losses from the timeline. Nothing here calls
 * the API's SQL (functions/queries/sales-figures.ts) or its views.
 */
async function figuresFromTables(
  db: Database,
  org: string,
  api: SalesFigures,
): Promise<ShownFigures & { monthStartsAt: string; quarterFirstMonth: string }> {
  const now = api.as_of
  const [context] = await db.query<{
    currency: string
    today: string
    quarter_first_month: string
    month_starts_at: Date | string
    month_ago: string
  }>(
    `select o.currency,
            to_char(($2::timestamptz at time zone o.time_zone)::date, 'YYYY-MM-DD') as today,
            to_char(date_trunc('quarter', $2::timestamptz at time zone o.time_zone), 'YYYY-MM') as quarter_first_month,
            date_trunc('month', $2::timestamptz at time zone o.time_zone) at time zone o.time_zone as month_starts_at,
            to_char((($2::timestamptz at time zone o.time_zone) - interval '1 month')::date, 'YYYY-MM-DD') as month_ago
     from public.organizations o where o.id = $1`,
    [org, now],
  )
  if (!context) throw new Error(`No organization ${org}`)
  const rows = await db.query<{
    id: string
    name: string
    phase: string
    close: string | null
    days_in_phase: number
    stuck_after: number | null
    value: string
    weighted: string
  }>(
    `select c.id, c.name, c.phase::text as phase, to_char(c.expected_close_date, 'YYYY-MM-DD') as close,
            floor(extract(epoch from $2::timestamptz - c.phase_entered_at) / 86400)::int as days_in_phase,
            ps.stuck_after_days as stuck_after,
            v.value::text as value,
            round(v.value * coalesce(ps.probability, 0) / 100, 2)::text as weighted
     from public.customers c
     join (${customerValuesFromTables}) v on v.id = c.id
     left join public.phase_settings ps on ps.org_id = c.org_id and ps.phase = c.phase
     where c.org_id = $1`,
    [org, now],
  )
  const [snapshot] = await db.query<{ value: string; weighted_value: string }>(
    `select pipeline_value::text as value, weighted_forecast::text as weighted_value
     from public.daily_metrics where org_id = $1 and day = $2::date and pipeline_value is not null`,
    [org, context.month_ago],
  )
  const events = await db.query<{ customer_id: string; outcome: 'won' | 'lost'; at: Date | string }>(
    `select customer_id, payload ->> 'new_phase' as outcome, occurred_at as at
     from public.timeline_events
     where org_id = $1 and type = 'phase_changed' and payload ->> 'new_phase' in ('won', 'lost')`,
    [org],
  )

  const open = rows.filter((r) => (phasesOf('open') as string[]).includes(r.phase))
  const sum = (list: typeof rows) => ({
    customers: list.length,
    value: money(list.reduce((a, r) => a + cents(r.value), 0n)),
    weighted_value: money(list.reduce((a, r) => a + cents(r.weighted), 0n)),
  })
  const value = new Map(rows.map((r) => [r.id, r.value]))
  /** Each customer once, with its last outcome in [from, to); a deleted customer counts, worth nothing. */
  const closings = (from: string, to: string) => {
    const last = new Map<string, { outcome: string; at: number }>()
    for (const e of events) {
      const at = new Date(e.at).getTime()
      if (at < Date.parse(from) || at >= Date.parse(to)) continue
      const seen = last.get(e.customer_id)
      if (!seen || seen.at < at) last.set(e.customer_id, { outcome: e.outcome, at })
    }
    const won = [...last].filter(([, v]) => v.outcome === 'won')
    const lost = [...last].filter(([, v]) => v.outcome === 'lost').length
    return {
      won: won.length,
      lost,
      won_value: money(won.reduce((a, [id]) => a + cents(value.get(id) ?? '0'), 0n)),
    }
  }
  const rate = (c: { won: number; lost: number }) =>
    c.won + c.lost === 0 ? null : Math.round((c.won / (c.won + c.lost)) * 1000) / 1000
  const winRate = closings(api.win_rate.starts_at, api.win_rate.ends_at)
  const previousWinRate = closings(api.win_rate.previous.starts_at, api.win_rate.previous.ends_at)
  const months = Array.from({ length: 9 }, (_, i) => {
    const [y, m] = context.quarter_first_month.split('-').map(Number) as [number, number]
    return new Date(Date.UTC(y, m - 1 + i, 1)).toISOString().slice(0, 7)
  })
  const stuck = rows
    .filter((r) => r.stuck_after !== null && r.days_in_phase > r.stuck_after)
    .sort(
      (a, b) =>
        b.days_in_phase - (b.stuck_after ?? 0) - (a.days_in_phase - (a.stuck_after ?? 0)) ||
        (a.id < b.id ? -1 : 1),
    )
  const month = closings(api.won.month.starts_at, api.won.month.ends_at)
  return {
    currency: context.currency,
    monthStartsAt: new Date(context.month_starts_at).toISOString(),
    quarterFirstMonth: context.quarter_first_month,
    pipeline: {
      ...sum(open),
      month_ago: snapshot ? { day: context.month_ago, ...snapshot } : null,
    },
    forecast: {
      months: months.map((m) => ({ month: m, ...sum(open.filter((r) => r.close?.startsWith(m))) })),
      overdue: sum(open.filter((r) => r.close !== null && r.close < context.today)),
      undated: sum(open.filter((r) => r.close === null)),
    },
    won: { month: { won: month.won, won_value: month.won_value } },
    win_rate: {
      ...api.win_rate,
      won: winRate.won,
      lost: winRate.lost,
      rate: rate(winRate),
      previous: { ...api.win_rate.previous, ...previousWinRate, rate: rate(previousWinRate) },
    },
    stuck: {
      total: stuck.length,
      customers: stuck.slice(0, 10).map((r) => ({
        id: r.id,
        name: r.name,
        phase: r.phase as SalesFigures['stuck']['customers'][number]['phase'],
        days_in_phase: r.days_in_phase,
        stuck_after_days: r.stuck_after as number,
        value: r.value,
      })),
    },
  }
}

/**
 * The money on the overview, checked three ways for the seeded organization:
 * the page shows what GET /metrics/sales answers, and both equal the figures
 * worked out here in SQL from the tables. Then a change made elsewhere moves
 * the money on the open page (Realtime).
 */
suite(title, { timeout: 240_000 }, () => {
  let browser: Browser
  let data: StackData | undefined
  let env: Record<string, string>
  let started: StartedStack | undefined
  let stack: BrowserStack

  const start = async () => {
    started = await startStackProcess(env)
    const anonKey = /anon key\s+(\S+)/.exec(started.output())?.[1] as string
    stack = { url: started.url, anonKey, stack: started }
  }

  beforeAll(async () => {
    data = await copyPreparedStackData()
    env = { ...data.env, PORT: String(await freePort()) }
    await start()
    browser = await launchChromium()
  }, 300_000)

  afterAll(async () => {
    await browser?.close()
    if (started) await stopStackProcess(started.child)
    await data?.remove()
  })

  it('should show the sales figures the API answers, and both should equal the figures worked out in SQL from the tables', async () => {
    let org = ''
    let api: SalesFigures | undefined
    let shown: Awaited<ReturnType<typeof shownText>> | undefined
    for (const email of ['rep@acme.example', 'manager@acme.example']) {
      const { context, page, errors } = await openPage(browser)
      org = await signIn(page, stack, email)
      await chartsDrawn(page)
      const token = await apiTokenFor(stack, email)
      api = await apiGet<SalesFigures>(stack, token, `/orgs/${org}/metrics/sales`)
      shown = await shownText(page)
      expectShown(shown, api, org, email)
      // The seed gives every figure something to say.
      expect(api.pipeline.customers, 'open customers').toBeGreaterThan(0)
      expect(
        api.forecast.months.some((m) => m.customers > 0),
        'a dated month',
      ).toBe(true)
      expect(api.stuck.total, 'stuck customers').toBeGreaterThan(0)
      // The chart says what it shows, in words. The demo's estimated history gives the pipeline
      // a month-ago figure from the first start, so its change line compares instead of waiting.
      await page
        .getByRole('img', { name: /^Bar chart of the open pipeline by expected close month/ })
        .waitFor()
      expect(api.pipeline.month_ago, 'the pipeline a month ago').not.toBeNull()
      const pipelineCard = (await page.getByRole('region', { name: 'Pipeline value' }).textContent()) ?? ''
      expect(pipelineCard).not.toContain('No history yet')
      expect(pipelineCard).toMatch(new RegExp(`vs \\D*\\d.*${api.pipeline.month_ago?.day.slice(0, 4)}`))
      expect(errors).toEqual([])
      await context.close()
    }

    // The database behind the stack, read directly: on PGlite only once the stack has let go of its folder.
    await stopStackProcess(started?.child as StartedStack['child'])
    started = undefined
    const db = env.DATABASE_URL
      ? createPostgresDatabase(env.DATABASE_URL, { max: 1 })
      : pgliteDatabase(await openPGlite(join(env.DATA_DIR as string, 'pglite')))
    let sql: Awaited<ReturnType<typeof figuresFromTables>>
    try {
      sql = await figuresFromTables(db, org, api as SalesFigures)
    } finally {
      await db.close()
      // Back up before any comparison can fail, so the next tests have a stack.
      await start()
    }
    const figures = api as SalesFigures
    expect(figures.currency).toBe(sql.currency)
    expect(figures.pipeline).toMatchObject(sql.pipeline)
    expect(figures.forecast).toEqual(sql.forecast)
    expect(figures.forecast.months[0]?.month).toBe(sql.quarterFirstMonth)
    expect(figures.won.month).toMatchObject(sql.won.month)
    expect(figures.won.month.starts_at).toBe(sql.monthStartsAt)
    expect(figures.won.month.ends_at).toBe(figures.as_of)
    expect(figures.win_rate).toMatchObject({
      won: sql.win_rate.won,
      lost: sql.win_rate.lost,
      rate: sql.win_rate.rate,
    })
    expect(figures.win_rate.previous.rate).toBe(sql.win_rate.previous.rate)
    expect(figures.win_rate.ends_at).toBe(figures.as_of)
    expect(Date.parse(figures.win_rate.ends_at) - Date.parse(figures.win_rate.starts_at)).toBe(
      figures.win_rate.days * day,
    )
    expect(figures.stuck.total).toBe(sql.stuck.total)
    expect(figures.stuck.customers).toMatchObject(sql.stuck.customers)
    // And what the page showed is what the tables say.
    expectShown(shown as Awaited<ReturnType<typeof shownText>>, sql, org, 'from the tables')
  })

  it('should move the money on the open page when another session wins a customer', async () => {
    const email = 'manager@acme.example'
    const { context, page, errors } = await openPage(browser)
    const org = await signIn(page, stack, email)
    const token = await apiTokenFor(stack, email)
    await chartsDrawn(page)
    await page
      .getByRole('status')
      .filter({ hasText: /^Live$/ })
      .waitFor()
    const before = await apiGet<SalesFigures>(stack, token, `/orgs/${org}/metrics/sales`)
    const leads = await apiGet<ApiPage<Customer>>(stack, token, `/orgs/${org}/customers?phase=lead&limit=1`)
    const lead = leads.data[0] as Customer
    expect(lead).toBeDefined()

    await apiSend(stack, token, 'PATCH', `/customers/${lead.id}`, { phase: 'won' })
    const after = await apiGet<SalesFigures>(stack, token, `/orgs/${org}/metrics/sales`)
    expect(after.pipeline.customers).toBe(before.pipeline.customers - 1)
    expect(after.won.month.won).toBe(before.won.month.won + 1)
    // Without a reload: the KPI cards show the new figures once the change has come in.
    const expected = expectedText({ ...after, stuck: { total: 0, customers: [] } }, org)
    await page.waitForFunction(
      (texts) =>
        document.querySelector('[aria-labelledby="kpi-pipeline-label"] .kpi-sub')?.textContent?.trim() ===
          texts.pipeline &&
        document.querySelector('[aria-labelledby="kpi-won-label"] .kpi-sub')?.textContent?.trim() ===
          texts.won,
      { pipeline: expected.pipelineCustomers, won: expected.wonCustomers },
      { timeout: 15_000 },
    )
    const shown = await shownText(page)
    expect(shown.kpis).toEqual(expected.kpis)
    expect(shown.forecast).toEqual(expected.forecast)
    expect(errors).toEqual([])
    await context.close()
  })

  it('should keep the rest of the overview when the sales figures fail, and load them with Try again', async () => {
    const { context, page } = await openPage(browser)
    let failures = 1
    await page.route('**/metrics/sales', async (route) => {
      if (failures-- > 0)
        return route.fulfill({
          status: 503,
          contentType: 'application/problem+json',
          body: JSON.stringify({ code: 'unavailable', title: 'Service Unavailable', status: 503 }),
        })
      return route.continue()
    })
    await signIn(page, stack, 'viewer@acme.example')
    const alert = page.getByRole('alert').filter({ hasText: 'The server is busy' })
    await alert.waitFor()
    // The customer and service figures are there meanwhile.
    await page.getByRole('region', { name: 'Customers', exact: true }).waitFor()
    expect(await page.getByRole('region', { name: 'Pipeline value' }).count()).toBe(0)
    await alert.getByRole('button', { name: 'Try again' }).click()
    await page.getByRole('region', { name: 'Pipeline value' }).waitFor()
    await chartsDrawn(page)
    expect(await alert.count()).toBe(0)
    await context.close()
  })
})
