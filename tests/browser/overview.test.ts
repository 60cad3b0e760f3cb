import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openProcessStatuses } from '../../functions/domain/vocabulary.ts'
import type { DailyMetrics, MetricsOverview } from '../../web/src/api/types.ts'
import { phaseLabels } from '../../web/src/domain.ts'
import { hasChromium, launchChromium, noChromiumReason, openPage } from './support/chromium.ts'
import { apiGet, apiSend, apiTokenFor, saveScreenshot, signIn } from './support/dashboard.ts'
import { type BrowserStack, useBrowserStack } from './support/stack.ts'

const suite = hasChromium ? describe : describe.skip
const title = hasChromium
  ? 'dashboard: the overview'
  : `dashboard: the overview (skipped: ${noChromiumReason})`

/** "4,982.77 h" → 4982.77 (the test browser's locale is en-GB). */
const numberIn = (text: string | null) => Number((text ?? '').replace(/[^0-9.]/g, ''))

const chartsDrawn = (page: Page) =>
  page.waitForFunction(() => performance.getEntriesByName('overview-charts-drawn').length > 0)

/** How many charts the overview should draw for these figures: forecast, funnel, doughnut if any hours, three trends once history exists. */
function expectedCanvases(overview: MetricsOverview, daily: DailyMetrics): number {
  const doughnut = overview.service_hours_by_service.some((s) => s.hours > 0) ? 1 : 0
  const trends = daily.days.some((d) => !d.live) ? 3 : 0
  return 2 + doughnut + trends
}

/** The organization's daily figures for the last `range` days, asked as the dashboard asks (ending on its today). */
async function dailyFor(
  stack: BrowserStack,
  token: string,
  org: string,
  range: number,
): Promise<DailyMetrics> {
  const probeDay = new Date().toISOString().slice(0, 10)
  const probe = await apiGet<DailyMetrics>(
    stack,
    token,
    `/orgs/${org}/metrics/daily?from=${probeDay}&to=${probeDay}`,
  )
  const to = new Date(`${probe.today}T00:00:00Z`)
  const from = new Date(to)
  from.setUTCDate(from.getUTCDate() - (range - 1))
  const day = (d: Date) => d.toISOString().slice(0, 10)
  return apiGet<DailyMetrics>(stack, token, `/orgs/${org}/metrics/daily?from=${day(from)}&to=${day(to)}`)
}

suite(title, { timeout: 180_000 }, () => {
  const stack = useBrowserStack()
  let browser: Browser
  beforeAll(async () => {
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('should show the metrics endpoint’s numbers in the KPI cards and the funnel, for a manager, a rep and a viewer', async () => {
    for (const email of ['manager@acme.example', 'rep@acme.example', 'viewer@acme.example']) {
      const { context, page, errors } = await openPage(browser)
      const org = await signIn(page, stack.current, email)
      const token = await apiTokenFor(stack.current, email)
      const overview = await apiGet<MetricsOverview>(stack.current, token, `/orgs/${org}/metrics/overview`)
      await chartsDrawn(page)

      const kpi = (name: string) => page.getByRole('region', { name, exact: true }).locator('.kpi-value')
      const total = overview.customers_by_phase.reduce((sum, p) => sum + p.count, 0)
      const open = overview.processes_by_status
        .filter((p) => (openProcessStatuses as readonly string[]).includes(p.status))
        .reduce((sum, p) => sum + p.count, 0)
      expect(numberIn(await kpi('Customers').textContent()), email).toBe(total)
      expect(numberIn(await kpi('New customers, 30 days').textContent())).toBe(
        overview.new_customers.last_30_days,
      )
      expect(numberIn(await kpi('Monthly service hours').textContent())).toBeCloseTo(
        overview.monthly_service_hours,
        2,
      )
      expect(numberIn(await kpi('Open processes').textContent())).toBe(open)
      const change = await page.getByRole('region', { name: 'New customers, 30 days' }).textContent()
      expect(change).toContain(
        overview.new_customers.change_percent === null
          ? 'none in the 30 days before'
          : `against ${overview.new_customers.previous_30_days} in the 30 days before`,
      )

      // The funnel's numbers, read from its table (behind "Show the numbers", as a screen reader finds it).
      const funnel = page.getByRole('table', {
        name: 'Customers per phase',
        exact: true,
        includeHidden: true,
      })
      const rows = await funnel
        .locator('tbody tr')
        .evaluateAll((trs) =>
          trs.map((tr) => [
            tr.querySelector('th')?.textContent ?? '',
            tr.querySelector('td')?.textContent ?? '',
          ]),
        )
      expect(rows).toEqual(
        overview.customers_by_phase.map((p) => [
          phaseLabels[p.phase],
          String(p.count.toLocaleString('en-GB')),
        ]),
      )
      // The canvases say what they show, in words.
      await page.getByRole('img', { name: /^Bar chart of customers per phase/ }).waitFor()

      // The latest events, each with its customer's timeline a click away.
      const events = page.getByRole('region', { name: 'Latest activity' }).getByRole('listitem')
      expect(await events.count()).toBe(overview.recent_events.length)
      const linked = overview.recent_events.find((e) => e.customer_id)
      if (linked) {
        const link = page.getByRole('link', { name: linked.description }).first()
        expect(await link.getAttribute('href')).toBe(`#/orgs/${org}/customers/${linked.customer_id}/timeline`)
      }
      expect(errors).toEqual([])
      await context.close()
    }
  })

  it('should change the URL and the trend’s days with the range selector, and follow the back button', async () => {
    const email = 'manager@acme.example'
    const { context, page, errors } = await openPage(browser)
    const org = await signIn(page, stack.current, email)
    const token = await apiTokenFor(stack.current, email)
    const coverage = page.locator('.trend-coverage')
    const shownDays = async (range: number) => {
      await page.locator(`.trend-coverage[data-range="${range}"]`).waitFor()
      return Number(await coverage.getAttribute('data-days'))
    }
    const tableRows = () =>
      page
        .getByRole('table', { name: 'New customers per day', includeHidden: true })
        .locator('tbody tr')
        .count()

    for (const range of [30, 90, 365]) {
      if (range !== 30) {
        await page.getByRole('radio', { name: `${range} days` }).check()
        await page.waitForURL(new RegExp(`/overview\\?range=${range}$`))
      }
      const daily = await dailyFor(stack.current, token, org, range)
      expect(await shownDays(range), `days with figures, ${range}-day range`).toBe(daily.days.length)
      expect(await coverage.textContent()).toContain(`${daily.days.length} of ${range} days`)
      if (daily.days.some((d) => !d.live)) expect(await tableRows()).toBe(daily.days.length)
      expect(await page.getByRole('radio', { name: `${range} days` }).isChecked()).toBe(true)
    }

    await page.goBack()
    await page.waitForURL(/\/overview\?range=90$/)
    await shownDays(90)
    expect(await page.getByRole('radio', { name: '90 days' }).isChecked()).toBe(true)
    await page.goBack()
    await page.waitForURL(/\/overview$/)
    await shownDays(30)
    expect(errors).toEqual([])
    await context.close()
  })

  it('should leave no chart behind when going to Customers and back, again and again', async () => {
    const email = 'rep@acme.example'
    const { context, page, errors } = await openPage(browser)
    const org = await signIn(page, stack.current, email)
    const token = await apiTokenFor(stack.current, email)
    const overview = await apiGet<MetricsOverview>(stack.current, token, `/orgs/${org}/metrics/overview`)
    const expected = expectedCanvases(overview, await dailyFor(stack.current, token, org, 30))
    await chartsDrawn(page)
    expect(await page.locator('canvas').count()).toBe(expected)

    for (let round = 0; round < 3; round++) {
      await page.getByRole('link', { name: 'Customers', exact: true }).click()
      await page.waitForURL(/\/customers/)
      await page.getByRole('heading', { level: 1, name: 'Customers' }).waitFor()
      expect(await page.locator('canvas').count()).toBe(0)
      await page.getByRole('link', { name: 'Overview', exact: true }).click()
      await page.waitForURL(/\/overview$/)
      await page
        .locator('canvas')
        .nth(expected - 1)
        .waitFor()
      // Every chart is drawn into its canvas (chart.js sized it: a bare canvas is 150 px high), and there are no more canvases than charts.
      await page.waitForFunction(
        (n) => Array.from(document.querySelectorAll('canvas')).filter((c) => c.height !== 150).length === n,
        expected,
      )
      expect(await page.locator('canvas').count()).toBe(expected)
    }
    expect(errors).toEqual([])
    await context.close()
  })

  it('should list a rep’s open tasks as the API does, soonest first, and complete one with a tick', async () => {
    const token = await apiTokenFor(stack.current, 'rep@acme.example')
    const { context, page, errors } = await openPage(browser)
    const org = await signIn(page, stack.current, 'rep@acme.example')
    const me = await apiGet<{ id: string }>(stack.current, token, '/me')
    // A rep adds tasks to the customers they own.
    const customers = await apiGet<{ data: { id: string }[] }>(
      stack.current,
      token,
      `/orgs/${org}/customers?limit=1&owner_id=${me.id}`,
    )
    const title = `Call back about the renewal ${Date.now()}`
    const task = await apiSend<{ id: string }>(
      stack.current,
      token,
      'POST',
      `/customers/${customers.data[0]?.id}/tasks`,
      { title, due_at: '2020-01-06T09:00:00Z' },
    )
    await page.reload()
    const panel = page.getByRole('region', { name: 'My tasks' })
    const items = panel.getByRole('list', { name: 'My open tasks' }).getByRole('listitem')
    await items.first().getByText(title).waitFor()

    type Listed = { data: { title: string; customer_name: string }[]; next_cursor: string | null }
    const mine = await apiGet<Listed>(
      stack.current,
      token,
      `/orgs/${org}/tasks?assignee_id=me&status=open&limit=9`,
    )
    const shown = await items.locator('.task-title').allTextContents()
    expect(shown).toEqual(mine.data.slice(0, 8).map((t) => t.title))
    expect(await items.first().locator('.task-meta a').textContent()).toBe(mine.data[0]?.customer_name)
    expect(await panel.locator('.task-overdue').first().textContent()).toMatch(/\d+ overdue/)

    await panel.getByRole('checkbox', { name: `Mark “${title}” done` }).click()
    await panel.getByText(title).waitFor({ state: 'detached' })
    // The row leaves at once; the toast says the server took it.
    await page
      .getByRole('status')
      .filter({ hasText: `Done: ${title}` })
      .waitFor({ state: 'attached' })
    const done = await apiGet<{ done_at: string | null }>(stack.current, token, `/tasks/${task.id}`)
    expect(done.done_at).not.toBeNull()
    expect(errors).toEqual([])
    await context.close()
  })

  it('should refresh its figures live when another session adds a customer', async () => {
    const email = 'manager@acme.example'
    const { context, page, errors } = await openPage(browser)
    const org = await signIn(page, stack.current, email)
    const token = await apiTokenFor(stack.current, email)
    await chartsDrawn(page)
    await page
      .getByRole('status')
      .filter({ hasText: /^Live$/ })
      .waitFor()
    const before = await apiGet<MetricsOverview>(stack.current, token, `/orgs/${org}/metrics/overview`)
    const total = before.customers_by_phase.reduce((sum, p) => sum + p.count, 0)
    const customers = page.getByRole('region', { name: 'Customers', exact: true }).locator('.kpi-value')
    expect(numberIn(await customers.textContent())).toBe(total)

    await apiSend(stack.current, token, 'POST', `/orgs/${org}/customers`, {
      name: 'Live Overview Ltd',
      phase: 'lead',
    })
    await page.waitForFunction(
      (expected) =>
        document.querySelector('[aria-labelledby="kpi-customers-label"] .kpi-value')?.textContent?.trim() ===
        expected,
      String(total + 1),
    )
    await page.getByRole('link', { name: 'Customer Live Overview Ltd created in phase lead' }).waitFor()
    expect(errors).toEqual([])
    await context.close()
  })

  it('should say when trends appear, with today’s live numbers, before the first nightly run', async () => {
    const { context, page, errors } = await openPage(browser)
    // As on a fresh install: the API answers only today's live day (what it does before any nightly run).
    await page.route('**/metrics/daily?**', async (route) => {
      const response = await route.fetch()
      const daily = (await response.json()) as DailyMetrics
      await route.fulfill({ response, json: { ...daily, days: daily.days.filter((d) => d.live) } })
    })
    await signIn(page, stack.current, 'viewer@acme.example')
    await page.getByText('Trends appear after the first nightly run.').waitFor()
    await chartsDrawn(page)
    expect(await page.locator('.overview-trends canvas').count()).toBe(0)
    await page.getByText('New customers today').waitFor()
    expect(errors).toEqual([])
    await context.close()
  })

  it('should explain a failed load in plain words and recover with Try again', async () => {
    const { context, page } = await openPage(browser)
    let failures = 1
    await page.route('**/metrics/daily?**', async (route) => {
      if (failures-- > 0)
        return route.fulfill({
          status: 503,
          contentType: 'application/problem+json',
          body: JSON.stringify({ code: 'unavailable', title: 'Service Unavailable', status: 503 }),
        })
      return route.continue()
    })
    await signIn(page, stack.current, 'rep@acme.example')
    const trends = page.getByRole('region', { name: 'Trends' })
    await trends.getByRole('alert').filter({ hasText: 'The server is busy' }).waitFor()
    // The rest of the overview is there meanwhile.
    await page.getByRole('region', { name: 'Phase funnel', exact: true }).waitFor()
    await trends.getByRole('button', { name: 'Try again' }).click()
    await page.locator('.trend-coverage').waitFor()
    expect(await trends.getByRole('alert').count()).toBe(0)
    await context.close()
  })

  it('should time the charts from navigation start and save a screenshot at 1280 × 860', async () => {
    const { context, page, errors } = await openPage(browser, { width: 1280, height: 860 })
    await signIn(page, stack.current, 'manager@acme.example')
    // A fresh page load with the stored session: navigation start → every chart drawn.
    await page.reload()
    await chartsDrawn(page)
    const ms = await page.evaluate(
      () => performance.getEntriesByName('overview-charts-drawn')[0]?.startTime ?? -1,
    )
    expect(ms).toBeGreaterThan(0)
    console.log(`overview charts drawn in ${Math.round(ms)} ms`)
    // Money first: its four cards in one row at the top, the customer and service ones in a row further down.
    const tops = (selector: string) =>
      page.locator(selector).evaluateAll((cards) => cards.map((c) => c.getBoundingClientRect().top))
    const money = await tops('.kpi-money .kpi')
    const secondary = await tops('.overview-secondary .kpi')
    expect(money.length).toBe(4)
    expect(new Set(money).size, 'four money KPI cards in one row').toBe(1)
    expect(secondary.length).toBe(4)
    expect(new Set(secondary).size, 'four customer and service KPI cards in one row').toBe(1)
    expect(secondary[0]).toBeGreaterThan(money[0] as number)
    await saveScreenshot(page, 'overview')
    expect(errors).toEqual([])
    await context.close()
  })

  it('should fit a 375 px wide phone: two KPI cards a row, charts stacked, no horizontal scroll', async () => {
    const { context, page, errors } = await openPage(browser, { width: 375, height: 740 })
    await signIn(page, stack.current, 'viewer@acme.example')
    await chartsDrawn(page)
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    const kpiTops = await page
      .locator('.kpi')
      .evaluateAll((cards) => cards.map((c) => c.getBoundingClientRect().top))
    expect(kpiTops[0]).toBe(kpiTops[1])
    expect(kpiTops[2]).toBeGreaterThan(kpiTops[0] as number)
    expect(kpiTops[2]).toBe(kpiTops[3])
    const funnel = await page.getByRole('region', { name: 'Phase funnel', exact: true }).boundingBox()
    const services = await page.getByRole('region', { name: 'Service hours by service' }).boundingBox()
    expect(services?.y).toBeGreaterThan((funnel?.y ?? 0) + (funnel?.height ?? 0) - 1)
    expect(errors).toEqual([])
    await context.close()
  })
})
