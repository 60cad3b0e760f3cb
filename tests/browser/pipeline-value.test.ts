import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPGlite, pgliteDatabase } from '../../functions/db/pglite.ts'
import { createPostgresDatabase } from '../../functions/db/postgres.ts'
import { customerPhases, phasesOf } from '../../functions/domain/vocabulary.ts'
import type { Page as ApiPage, Customer, Phase, SalesFigures } from '../../web/src/api/types.ts'
import { formatMoney, formatMoneyCompact } from '../../web/src/format/money.ts'
import { customersPath } from '../../web/src/screens/customers/customer-query.ts'
import { type StartedStack, startStackProcess, stopStackProcess } from '../support/start-process.ts'
import { hasChromium, launchChromium, noChromiumReason, openPage } from './support/chromium.ts'
import { apiGet, apiTokenFor, saveScreenshot, signIn } from './support/dashboard.ts'
import type { StackData } from './support/prepared-stack.ts'
import { type BrowserStack, copyPreparedStackData } from './support/stack.ts'
import { customerValuesFromTables } from './support/values-from-tables.ts'

const suite = hasChromium ? describe : describe.skip
const title = hasChromium
  ? 'dashboard: the value on the pipeline board'
  : `dashboard: the value on the pipeline board (skipped: ${noChromiumReason})`

/** The test browser's locale (support/chromium.ts): what the page formats with. */
const locale = 'en-GB'

const cents = (amount: string) => {
  const [whole = '0', fraction = ''] = amount.split('.')
  const negative = whole.startsWith('-')
  const n = BigInt(whole.replace('-', '')) * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2))
  return negative ? -n : n
}

interface ShownColumn {
  count: number
  /** The exact amount behind the short text (data-amount). */
  amount: string
  /** What the eye reads ("€1.73m") and what a screen reader reads (the whole amount). */
  text: string
  spoken: string
}

/** Each column's count and value as the board shows them. */
const shownColumns = (page: Page) =>
  page.evaluate(() => {
    const shown: Record<string, { count: number; amount: string; text: string; spoken: string }> = {}
    for (const count of document.querySelectorAll<HTMLElement>('.board-count')) {
      const phase = count.dataset.phase as string
      const value = document.querySelector<HTMLElement>(`.board-value[data-phase="${phase}"]`)
      shown[phase] = {
        count: Number(count.textContent?.replace(/\D/g, '')),
        amount: value?.dataset.amount ?? '',
        text: value?.querySelector('[aria-hidden="true"]')?.textContent?.trim() ?? '',
        spoken: value?.querySelector('.visually-hidden')?.textContent?.trim() ?? '',
      }
    }
    return shown
  }) as Promise<Record<Phase, ShownColumn>>

/** The board has every column's first page, and the totals: every column shows a value. */
const totalsShown = (page: Page) =>
  page.waitForFunction(
    () =>
      document.querySelectorAll('.board-value').length === 9 &&
      document.querySelectorAll('li.board-card').length > 0,
  )

/**
 * The board's money: each column's count and value equal the API's
 * `by_phase` (GET /metrics/sales) and the sum per phase of each customer's
 * value worked out in SQL from the base tables (support/values-from-tables.ts);
 * a move carries the card's value from column to column at once.
 */
suite(title, { timeout: 240_000 }, () => {
  let browser: Browser
  let data: StackData | undefined
  let env: Record<string, string>
  let started: StartedStack | undefined
  let stack: BrowserStack

  beforeAll(async () => {
    data = await copyPreparedStackData()
    env = data.env
    started = await startStackProcess(env)
    const anonKey = /anon key\s+(\S+)/.exec(started.output())?.[1] as string
    stack = { url: started.url, anonKey, stack: started }
    browser = await launchChromium()
  }, 300_000)

  afterAll(async () => {
    await browser?.close()
    if (started) await stopStackProcess(started.child)
    await data?.remove()
  })

  it("should move a card's value to its new column at once, and keep both columns equal to the API after the move", async () => {
    const email = 'manager@acme.example'
    const { context, page, errors } = await openPage(browser, { width: 1600, height: 900 })
    const org = await signIn(page, stack, email)
    const token = await apiTokenFor(stack, email)
    // A card with some value on the first page of an open column, moved one phase on.
    let moved: Customer | undefined
    for (const phase of phasesOf('open').slice(0, 3)) {
      const first = await apiGet<ApiPage<Customer>>(
        stack,
        token,
        customersPath(org, { phase: [phase], sort: '-updated_at' }, { limit: 20 }),
      )
      moved = first.data.find((c) => cents(c.value) > 0n)
      if (moved) break
    }
    if (!moved) throw new Error('The seed gave no open customer with a value')
    const from = moved.phase
    const to = customerPhases[customerPhases.indexOf(from) + 1] as Phase

    await page.goto(`${stack.url}/#/orgs/${org}/pipeline`)
    await totalsShown(page)
    const before = await shownColumns(page)
    await page.getByRole('combobox', { name: `Move ${moved.name} to` }).selectOption(to)
    // The value moves with the card before the server has answered (the totals are not read again).
    await page.locator(`.board-column-${to} [data-id="${moved.id}"]`).waitFor()
    const after = await shownColumns(page)
    expect(cents(after[from].amount)).toBe(cents(before[from].amount) - cents(moved.value))
    expect(cents(after[to].amount)).toBe(cents(before[to].amount) + cents(moved.value))
    expect([after[from].count, after[to].count]).toEqual([before[from].count - 1, before[to].count + 1])
    await expect
      .poll(async () => (await apiGet<Customer>(stack, token, `/customers/${moved.id}`)).phase)
      .toBe(to)

    // A fresh board reads the totals again: the same as the moved ones.
    await page.reload()
    await totalsShown(page)
    const sales = await apiGet<SalesFigures>(stack, token, `/orgs/${org}/metrics/sales`)
    const reloaded = await shownColumns(page)
    for (const phase of [from, to]) {
      const api = sales.by_phase.find((p) => p.phase === phase)
      expect(cents(reloaded[phase].amount), phase).toBe(cents(api?.value ?? 'x'))
      expect(reloaded[phase].count, phase).toBe(api?.customers)
    }
    expect(cents(reloaded[to].amount)).toBe(cents(after[to].amount))
    expect(errors).toEqual([])
    await context.close()
  })

  it('should show each column the count and value the API gives, both equal to the customer values summed in SQL', async () => {
    const email = 'rep@acme.example'
    const { context, page, errors } = await openPage(browser, { width: 1600, height: 900 })
    const org = await signIn(page, stack, email)
    const token = await apiTokenFor(stack, email)
    await page.goto(`${stack.url}/#/orgs/${org}/pipeline`)
    await totalsShown(page)
    const sales = await apiGet<SalesFigures>(stack, token, `/orgs/${org}/metrics/sales`)
    const shown = await shownColumns(page)
    expect(sales.by_phase.map((p) => p.phase)).toEqual([...customerPhases])
    for (const p of sales.by_phase) {
      expect(shown[p.phase], p.phase).toEqual({
        count: p.customers,
        amount: p.value,
        text: formatMoneyCompact(p.value, sales.currency, locale),
        spoken: `Total value ${formatMoney(p.value, sales.currency, locale)}`,
      })
    }
    // The seed gives the board money to show.
    expect(sales.by_phase.filter((p) => cents(p.value) > 0n).length).toBeGreaterThan(3)
    // Cards say their value, days in phase and next step.
    const card = page
      .locator('li.board-card')
      .filter({ has: page.locator('.board-card-next') })
      .first()
    const id = (await card.getAttribute('data-id')) as string
    const customer = await apiGet<Customer>(stack, token, `/customers/${id}`)
    expect(await card.locator('.board-card-value').textContent()).toBe(
      `${formatMoneyCompact(customer.value, sales.currency, locale)}Value ${formatMoney(customer.value, sales.currency, locale)}`,
    )
    expect(await card.locator('.board-card-days').textContent()).toBe(
      `${customer.days_in_phase.toLocaleString(locale)} ${customer.days_in_phase === 1 ? 'day' : 'days'} in phase`,
    )
    expect((await card.locator('.board-card-next').textContent())?.replace('Next step: ', '')).toBe(
      customer.next_step,
    )
    await saveScreenshot(page, 'pipeline')
    expect(errors).toEqual([])
    await context.close()

    // The database behind the stack, read directly: on PGlite only once the stack has let go of its folder.
    await stopStackProcess(started?.child as StartedStack['child'])
    started = undefined
    const db = env.DATABASE_URL
      ? createPostgresDatabase(env.DATABASE_URL, { max: 1 })
      : pgliteDatabase(await openPGlite(join(env.DATA_DIR as string, 'pglite')))
    let rows: { phase: Phase; customers: number; value: string }[]
    try {
      // From the base tables, not the view the API sums (public.customer_values).
      rows = await db.query(
        `select v.phase::text as phase, count(*)::int as customers, sum(v.value)::text as value
         from (${customerValuesFromTables}) v group by v.phase`,
        [org],
      )
    } finally {
      await db.close()
    }
    for (const phase of customerPhases) {
      const row = rows.find((r) => r.phase === phase) ?? { customers: 0, value: '0' }
      expect(shown[phase].count, phase).toBe(row.customers)
      expect(cents(shown[phase].amount), phase).toBe(cents(row.value))
    }
  })
})
