import type { Browser, Page, Request } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { customerPhases } from '../../functions/domain/vocabulary.ts'
import type { Page as ApiPage, Customer, Me, MetricsOverview, Phase } from '../../web/src/api/types.ts'
import { phaseLabels } from '../../web/src/domain.ts'
import { customersPath } from '../../web/src/screens/customers/customer-query.ts'
import { hasChromium, launchChromium, noChromiumReason, openPage } from './support/chromium.ts'
import { apiGet, apiSend, apiTokenFor, signIn } from './support/dashboard.ts'
import { type BrowserStack, useBrowserStack } from './support/stack.ts'

const suite = hasChromium ? describe : describe.skip
const title = hasChromium
  ? 'dashboard: the pipeline board'
  : `dashboard: the pipeline board (skipped: ${noChromiumReason})`

const column = (page: Page, phase: Phase) =>
  page.getByRole('region', { name: phaseLabels[phase], exact: true })
const card = (page: Page, id: string) => page.locator(`li.board-card[data-id="${id}"]`)
const shownCount = async (page: Page, phase: Phase) =>
  Number((await page.locator(`.board-count[data-phase="${phase}"]`).textContent())?.replace(/\D/g, ''))

const isTotalsRead = (request: Request) =>
  /\/api\/orgs\/[^/]+\/metrics\/sales$/.test(new URL(request.url()).pathname)

/** The rep's customers that are among the first cards of their column (what the board shows first). */
async function repCards(stack: BrowserStack, token: string, org: string, repId: string): Promise<Customer[]> {
  const found: Customer[] = []
  for (const phase of customerPhases) {
    const page = await apiGet<ApiPage<Customer>>(
      stack,
      token,
      customersPath(org, { phase: [phase], sort: '-updated_at' }, { limit: 20 }),
    )
    found.push(...page.data.filter((c) => c.owner_id === repId))
  }
  return found
}

async function countsFromApi(stack: BrowserStack, token: string, org: string) {
  const metrics = await apiGet<MetricsOverview>(stack, token, `/orgs/${org}/metrics/overview`)
  return Object.fromEntries(metrics.customers_by_phase.map((p) => [p.phase, p.count])) as Record<
    Phase,
    number
  >
}

/** Every column has its first page (the totals may still be on the way). */
async function boardReady(page: Page) {
  await page.waitForFunction(
    () =>
      document.querySelectorAll('.board-column').length === 9 &&
      document.querySelectorAll('.board-column .board-column-state .spinner').length === 0 &&
      document.querySelectorAll('li.board-card').length > 0,
  )
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

  it('should let a rep drag its own customer to another phase, and keep it there after a reload', async () => {
    const { context, page, errors } = await openPage(browser, { width: 1600, height: 900 })
    const org = await signIn(page, stack.current, 'rep@acme.example')
    const token = await apiTokenFor(stack.current, 'rep@acme.example')
    const me = await apiGet<Me>(stack.current, token, '/me')
    const mine = (await repCards(stack.current, token, org, me.id)).find((c) => c.phase !== 'won')
    if (!mine) throw new Error('The seed gave rep@acme.example no customer on the board')
    const to: Phase = 'won'
    const before = await countsFromApi(stack.current, token, org)

    await page.goto(`${stack.current.url}/#/orgs/${org}/pipeline`)
    await boardReady(page)
    await column(page, mine.phase).locator(`[data-id="${mine.id}"]`).waitFor()
    // The totals come from the metrics endpoint, which may answer after the cards.
    await expect.poll(() => shownCount(page, mine.phase)).toBe(before[mine.phase])
    await expect.poll(() => shownCount(page, to)).toBe(before[to])

    // Dropped on the column's heading: a small target Playwright can scroll clear of the
    // sticky top bar, wherever picking up the card left the page scrolled.
    await card(page, mine.id).dragTo(
      column(page, to).getByRole('heading', { name: phaseLabels[to], exact: true }),
    )
    await column(page, to).locator(`[data-id="${mine.id}"]`).waitFor()
    expect(await column(page, mine.phase).locator(`[data-id="${mine.id}"]`).count()).toBe(0)
    expect(await shownCount(page, mine.phase)).toBe(before[mine.phase] - 1)
    expect(await shownCount(page, to)).toBe(before[to] + 1)
    await page
      .getByRole('status')
      .filter({ hasText: `Moved ${mine.name} to Won` })
      .waitFor({ state: 'attached' })
    await expect
      .poll(async () => (await apiGet<Customer>(stack.current, token, `/customers/${mine.id}`)).phase)
      .toBe(to)

    await page.reload()
    await boardReady(page)
    await column(page, to).locator(`[data-id="${mine.id}"]`).waitFor()
    const after = await countsFromApi(stack.current, token, org)
    expect(after[to]).toBe(before[to] + 1)
    await expect.poll(() => shownCount(page, to)).toBe(after[to])
    await expect.poll(() => shownCount(page, mine.phase)).toBe(after[mine.phase])
    expect(errors).toEqual([])
    await context.close()
  })

  it('should move a card with the keyboard alone, keeping focus on it', async () => {
    const { context, page, errors } = await openPage(browser)
    const org = await signIn(page, stack.current, 'rep@acme.example')
    const token = await apiTokenFor(stack.current, 'rep@acme.example')
    const me = await apiGet<Me>(stack.current, token, '/me')
    const mine = (await repCards(stack.current, token, org, me.id)).find((c) => c.phase !== 'lost')
    if (!mine) throw new Error('The seed gave rep@acme.example no customer on the board')
    const next = customerPhases[customerPhases.indexOf(mine.phase) + 1] as Phase

    await page.goto(`${stack.current.url}/#/orgs/${org}/pipeline`)
    await boardReady(page)
    // Focus on the card's link, then keys only: no mouse anywhere.
    const link = page.getByRole('link', { name: mine.name, exact: true })
    await link.focus()
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(`card-${mine.id}`)
    await page.keyboard.press('Alt+ArrowRight')
    await column(page, next).locator(`[data-id="${mine.id}"]`).waitFor()
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe(`card-${mine.id}`)
    await page
      .getByRole('status')
      .filter({ hasText: `Moved ${mine.name} to ${phaseLabels[next]}` })
      .waitFor({ state: 'attached' })
    await expect
      .poll(async () => (await apiGet<Customer>(stack.current, token, `/customers/${mine.id}`)).phase)
      .toBe(next)

    // And back with the "Move to…" select (a native select: the keyboard's own control).
    const select = page.getByRole('combobox', { name: `Move ${mine.name} to` })
    await select.focus()
    await select.selectOption(mine.phase)
    await column(page, mine.phase).locator(`[data-id="${mine.id}"]`).waitFor()
    await expect
      .poll(async () => (await apiGet<Customer>(stack.current, token, `/customers/${mine.id}`)).phase)
      .toBe(mine.phase)
    expect(errors).toEqual([])
    await context.close()
  })

  it('should roll a move back and say why when the server refuses it, even when the totals arrive mid-move', async () => {
    const { context, page, errors } = await openPage(browser)
    const org = await signIn(page, stack.current, 'rep@acme.example')
    const token = await apiTokenFor(stack.current, 'rep@acme.example')
    const managerToken = await apiTokenFor(stack.current, 'manager@acme.example')
    const me = await apiGet<Me>(stack.current, token, '/me')
    const mine = (await repCards(stack.current, token, org, me.id)).find((c) => c.phase !== 'lost')
    if (!mine) throw new Error('The seed gave rep@acme.example no customer on the board')
    const next = customerPhases[customerPhases.indexOf(mine.phase) + 1] as Phase
    // Every read of the column totals, in order.
    const totalsReads: Request[] = []
    page.on('request', (request) => {
      if (isTotalsRead(request)) totalsReads.push(request)
    })
    // The worst order: the column totals are held until the move is sent and
    // answered while it is still being saved (they do not count the move yet).
    let moveSent!: () => void
    const sent = new Promise<void>((resolve) => (moveSent = resolve))
    const answered = page.waitForEvent('requestfinished', { predicate: isTotalsRead, timeout: 60_000 })
    await page.route('**/api/orgs/*/metrics/sales', async (route) => {
      await sent
      await route.fulfill({ response: await route.fetch() })
    })
    // The server refuses by itself: once the page has read the customer and before its move
    // arrives, the manager changes the customer (a harmless next step, sent with the version the
    // page saw, so it is the manager's change that makes the move's If-Match stale): 412.
    let managersChange: Response | undefined
    await page.route(`**/api/customers/${mine.id}`, async (route) => {
      if (route.request().method() !== 'PATCH') return route.continue()
      moveSent()
      await answered
      managersChange = await fetch(`${stack.current.url}/api/customers/${mine.id}`, {
        method: 'PATCH',
        headers: {
          Authorization: `Bearer ${managerToken}`,
          'Content-Type': 'application/json',
          'If-Match': `"${mine.version}"`,
        },
        body: JSON.stringify({ next_step: `Checked by the manager ${Date.now()}` }),
      })
      await route.continue()
    })
    await page.goto(`${stack.current.url}/#/orgs/${org}/pipeline`)
    await boardReady(page)
    const before = await countsFromApi(stack.current, token, org)
    await column(page, mine.phase).locator(`[data-id="${mine.id}"]`).waitFor()
    // From here on, every count the two columns show, as the page draws it.
    await page.evaluate(
      (phases) => {
        const seen: Record<string, string[]> = Object.fromEntries(phases.map((p) => [p, []]))
        const record = () => {
          for (const phase of phases) {
            const text = document.querySelector(`.board-count[data-phase="${phase}"]`)?.textContent ?? ''
            const list = seen[phase] as string[]
            if (list.at(-1) !== text) list.push(text)
          }
        }
        record()
        new MutationObserver(record).observe(document.body, {
          subtree: true,
          childList: true,
          characterData: true,
        })
        ;(window as unknown as { shownCounts: typeof seen }).shownCounts = seen
      },
      [mine.phase, next],
    )
    const moveAnswered = page.waitForResponse(
      (r) => r.url().endsWith(`/api/customers/${mine.id}`) && r.request().method() === 'PATCH',
    )
    await page.getByRole('combobox', { name: `Move ${mine.name} to` }).selectOption(next)
    expect((await moveAnswered).status()).toBe(412)
    expect(managersChange?.status).toBe(200)
    await page
      .getByRole('alert')
      .filter({ hasText: 'Someone else changed this customer in the meantime, so your change was not saved' })
      .waitFor()
    await column(page, mine.phase).locator(`[data-id="${mine.id}"]`).waitFor()
    expect(await column(page, next).locator(`[data-id="${mine.id}"]`).count()).toBe(0)
    // Settled: the totals held during the move were dropped and read again once it was over.
    await expect.poll(() => totalsReads.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(2)
    for (const read of totalsReads) expect((await read.response())?.status()).toBe(200)
    await expect.poll(() => shownCount(page, mine.phase)).toBe(before[mine.phase])
    await expect.poll(() => shownCount(page, next)).toBe(before[next])
    // And no total shown meanwhile counted the refused move: the columns were never one off.
    const shown = await page.evaluate(
      () => (window as unknown as { shownCounts: Record<string, string[]> }).shownCounts,
    )
    const totals = (texts: string[] | undefined) =>
      (texts ?? []).filter((t) => /^[\d,]+$/.test(t)).map((t) => Number(t.replace(/,/g, '')))
    expect(totals(shown[mine.phase]), `${mine.phase}: ${shown[mine.phase]}`).not.toContain(
      before[mine.phase] + 1,
    )
    expect(totals(shown[next]), `${next}: ${shown[next]}`).not.toContain(before[next] - 1)
    expect(totals(shown[mine.phase]).at(-1)).toBe(before[mine.phase])
    expect(totals(shown[next]).at(-1)).toBe(before[next])
    const after = await apiGet<Customer>(stack.current, token, `/customers/${mine.id}`)
    expect(after.phase).toBe(mine.phase)
    expect(after.version).not.toBe(mine.version)
    // The refused move is the only failed request.
    expect(errors).toEqual([expect.stringMatching(/^console: Failed to load resource: .*status of 412\b/)])
    await context.close()
  })

  it('should give a viewer no way to move cards, on a phone without page scrolling', async () => {
    const { context, page, errors } = await openPage(browser, { width: 375, height: 740 })
    const org = await signIn(page, stack.current, 'viewer@acme.example')
    await page.goto(`${stack.current.url}/#/orgs/${org}/pipeline`)
    await boardReady(page)
    expect(await page.locator('li.board-card').count()).toBeGreaterThan(0)
    expect(await page.locator('[draggable="true"]').count()).toBe(0)
    expect(await page.getByRole('combobox', { name: /^Move / }).count()).toBe(0)
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    expect(errors).toEqual([])
    await context.close()
  })

  it("should follow another session's move live: the card changes column and the totals follow", async () => {
    const { context, page, errors } = await openPage(browser, { width: 1600, height: 900 })
    const org = await signIn(page, stack.current, 'manager@acme.example')
    const repToken = await apiTokenFor(stack.current, 'rep2@acme.example')
    const rep = await apiGet<Me>(stack.current, repToken, '/me')
    const theirs = (await repCards(stack.current, repToken, org, rep.id)).find((c) => c.phase !== 'proposal')
    if (!theirs) throw new Error('The seed gave rep2@acme.example no customer on the board')
    await page.goto(`${stack.current.url}/#/orgs/${org}/pipeline`)
    await page.locator('.live-status', { hasText: /^Live$/ }).waitFor()
    await boardReady(page)
    await column(page, theirs.phase).locator(`[data-id="${theirs.id}"]`).waitFor()

    await apiSend(stack.current, repToken, 'PATCH', `/customers/${theirs.id}`, { phase: 'proposal' })
    await column(page, 'proposal').locator(`[data-id="${theirs.id}"]`).waitFor()
    expect(await column(page, theirs.phase).locator(`[data-id="${theirs.id}"]`).count()).toBe(0)
    const counts = await countsFromApi(stack.current, repToken, org)
    await expect.poll(() => shownCount(page, 'proposal')).toBe(counts.proposal)
    await expect.poll(() => shownCount(page, theirs.phase)).toBe(counts[theirs.phase])
    expect(errors).toEqual([])
    await context.close()
  })
})
