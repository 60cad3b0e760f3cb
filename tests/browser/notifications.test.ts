import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Me, NotificationPage } from '../../web/src/api/types.ts'
import { hasChromium, launchChromium, noChromiumReason, openPage } from './support/chromium.ts'
import { apiGet, apiSend, apiTokenFor, saveScreenshot, signIn } from './support/dashboard.ts'
import { type BrowserStack, useBrowserStack } from './support/stack.ts'

const suite = hasChromium ? describe : describe.skip
const title = hasChromium
  ? 'dashboard: notifications'
  : `dashboard: notifications (skipped: ${noChromiumReason})`

const jobsSecret = 'a-jobs-secret-for-the-browser-suite-only'

/** The task-reminders schedule, run now as its scheduler would (the stack runs it every five minutes). */
async function runTaskReminders(stack: BrowserStack): Promise<void> {
  const res = await fetch(`${stack.url}/api/jobs/task-reminders`, {
    method: 'POST',
    headers: { 'X-Jobs-Secret': jobsSecret },
  })
  if (!res.ok) throw new Error(`POST /jobs/task-reminders: ${res.status} ${await res.text()}`)
}

const bell = (page: Page) => page.getByRole('button', { name: /^Notifications/ })
/** What the bell says to a screen reader: "Notifications, 3 unread" or "Notifications". */
const bellLabel = async (page: Page) => (await bell(page).getAttribute('aria-label')) ?? ''
const labelFor = (unread: number) => (unread > 0 ? `Notifications, ${unread} unread` : 'Notifications')

suite(title, { timeout: 180_000 }, () => {
  const stack = useBrowserStack({ env: { JOBS_SECRET: jobsSecret } })
  let browser: Browser

  beforeAll(async () => {
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('should ring live for an overdue task, list it as the API does, open its customer and mark all read', async () => {
    const { context, page, errors } = await openPage(browser)
    const org = await signIn(page, stack.current, 'rep@acme.example')
    const token = await apiTokenFor(stack.current, 'rep@acme.example')
    const before = await apiGet<NotificationPage>(stack.current, token, `/orgs/${org}/notifications?limit=12`)
    await expect.poll(() => bellLabel(page)).toBe(labelFor(before.unread_count))

    // A task of the rep's own, already past due; the reminders job notifies them, live.
    const me = await apiGet<Me>(stack.current, token, '/me')
    const owned = await apiGet<{ data: { id: string; name: string }[] }>(
      stack.current,
      token,
      `/orgs/${org}/customers?limit=1&owner_id=${me.id}`,
    )
    const customer = owned.data[0]
    if (!customer) throw new Error('The seed gave rep@acme.example no customer')
    const task = `Send the signed order form ${Date.now()}`
    await apiSend(stack.current, token, 'POST', `/customers/${customer.id}/tasks`, {
      title: task,
      due_at: new Date(Date.now() - 3_600_000).toISOString(),
    })
    await runTaskReminders(stack.current)
    await page
      .getByRole('status')
      .filter({ hasText: `Task overdue: ${task}` })
      .waitFor({ state: 'attached' })
    await expect.poll(() => bellLabel(page)).toBe(labelFor(before.unread_count + 1))

    // The panel lists what the API lists, newest first, the new one on top naming its customer.
    await bell(page).click()
    const panel = page.getByRole('region', { name: 'Notifications' })
    const items = panel.getByRole('list', { name: 'Your notifications' }).getByRole('listitem')
    const now = await apiGet<NotificationPage>(stack.current, token, `/orgs/${org}/notifications?limit=12`)
    await expect
      .poll(() => items.locator('.notification-title').allTextContents())
      .toEqual(now.data.map((n) => (n.read_at ? n.title : `Unread: ${n.title}`)))
    // Newest first (the message lists the order it came in, should that ever differ).
    const order = JSON.stringify(now.data.map((n) => [n.title, n.created_at]))
    expect(now.data[0], order).toMatchObject({ title: `Task overdue: ${task}`, customer_name: customer.name })
    expect(await items.first().locator('.notification-meta').textContent()).toContain(customer.name)
    await saveScreenshot(page, 'notifications')

    // Opening it goes to the customer's timeline and marks it read.
    await items.first().getByRole('link').click()
    await page.waitForURL(new RegExp(`/customers/${customer.id}/timeline$`))
    await page.getByRole('heading', { name: customer.name, level: 1 }).waitFor()
    await expect.poll(() => bellLabel(page)).toBe(labelFor(before.unread_count))
    await expect
      .poll(
        async () =>
          (await apiGet<NotificationPage>(stack.current, token, `/orgs/${org}/notifications?limit=1`)).data[0]
            ?.read_at,
      )
      .not.toBeNull()

    // Escape closes the panel and gives focus back to the bell; "Mark all read" empties the count.
    await bell(page).click()
    await panel.waitFor()
    await page.keyboard.press('Escape')
    await panel.waitFor({ state: 'detached' })
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toMatch(
      /^Notifications/,
    )
    // Marked unread again from another session: the bell follows; then all read at once.
    await apiSend(stack.current, token, 'PATCH', `/notifications/${now.data[0]?.id}`, { read: false })
    await expect.poll(() => bellLabel(page)).toBe(labelFor(before.unread_count + 1))
    await bell(page).click()
    await panel.getByRole('button', { name: 'Mark all read' }).click()
    await expect.poll(() => bellLabel(page)).toBe('Notifications')
    // The bell empties at once; the server's answer follows.
    await expect
      .poll(
        async () =>
          (await apiGet<NotificationPage>(stack.current, token, `/orgs/${org}/notifications?limit=1`))
            .unread_count,
      )
      .toBe(0)
    expect(errors).toEqual([])
    await context.close()
  })

  it('should mark one unread again with its dot, and follow a read in another tab live', async () => {
    const { context, page, errors } = await openPage(browser)
    const org = await signIn(page, stack.current, 'rep@acme.example')
    const token = await apiTokenFor(stack.current, 'rep@acme.example')
    const list = await apiGet<NotificationPage>(stack.current, token, `/orgs/${org}/notifications?limit=12`)
    const first = list.data[0]
    if (!first) throw new Error('The rep has no notification (the seed notifies overdue tasks)')
    await expect.poll(() => bellLabel(page)).toBe(labelFor(list.unread_count))
    await bell(page).click()
    const toggle = page.getByRole('button', {
      name: `Mark “${first.title}” ${first.read_at ? 'unread' : 'read'}`,
    })
    await toggle.click()
    const expected = list.unread_count + (first.read_at ? 1 : -1)
    await expect.poll(() => bellLabel(page)).toBe(labelFor(expected))
    await expect
      .poll(
        async () =>
          (await apiGet<NotificationPage>(stack.current, token, `/orgs/${org}/notifications?limit=12`))
            .unread_count,
      )
      .toBe(expected)

    // Another session flips it back: this page follows without a reload.
    await apiSend(stack.current, token, 'PATCH', `/notifications/${first.id}`, {
      read: Boolean(first.read_at),
    })
    await expect.poll(() => bellLabel(page)).toBe(labelFor(list.unread_count))
    expect(errors).toEqual([])
    await context.close()
  })

  it('should open within the screen on a phone, without page scrolling', async () => {
    const { context, page, errors } = await openPage(browser, { width: 375, height: 740 })
    await signIn(page, stack.current, 'rep@acme.example')
    await bell(page).click()
    const panel = page.getByRole('region', { name: 'Notifications' })
    await panel.waitFor()
    const box = await panel.boundingBox()
    expect(box?.x).toBeGreaterThanOrEqual(0)
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(375)
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0)
    await saveScreenshot(page, 'notifications-phone')
    expect(errors).toEqual([])
    await context.close()
  })
})
