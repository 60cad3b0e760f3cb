import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { phasesOf } from '../../functions/domain/vocabulary.ts'
import type {
  Contact,
  Customer,
  CustomerDetail,
  Page as ListPage,
  Me,
  Process,
  SalesFigures,
  Team,
  TimelineEvent,
} from '../../web/src/api/types.ts'
import { formatMoney } from '../../web/src/format/money.ts'
import { customersPath } from '../../web/src/screens/customers/customer-query.ts'
import { hasChromium, launchChromium, noChromiumReason, openPage } from './support/chromium.ts'
import { apiGet, apiSend, apiTokenFor, saveScreenshot, signIn } from './support/dashboard.ts'
import { useBrowserStack } from './support/stack.ts'

const suite = hasChromium ? describe : describe.skip
const title = hasChromium
  ? 'dashboard: customer detail'
  : `dashboard: customer detail (skipped: ${noChromiumReason})`

const tabs = [
  ['contacts', 'Contacts'],
  ['teams', 'Teams'],
  ['processes', 'Processes'],
  ['services', 'Services'],
  ['documents', 'Documents'],
  ['timeline_events', 'Timeline'],
] as const

/** Chromium reports each 4xx answer on the console: a test that provokes one expects exactly that line. */
const failedRequest = (status: number) =>
  expect.stringMatching(new RegExp(`^console: Failed to load resource: .*status of ${status}\\b`))

/** A year from today (YYYY-MM-DD, in UTC like the test browser): a close date that is not overdue. */
function aYearFromToday(): string {
  const date = new Date()
  date.setUTCFullYear(date.getUTCFullYear() + 1)
  return date.toISOString().slice(0, 10)
}

suite(title, { timeout: 120_000 }, () => {
  const stack = useBrowserStack()
  let browser: Browser
  let repToken: string
  let org: string
  let customerId: string

  beforeAll(async () => {
    browser = await launchChromium()
    repToken = await apiTokenFor(stack.current, 'rep@acme.example')
    const me = await apiGet<Me>(stack.current, repToken, '/me')
    org = me.memberships[0]?.org_id as string
    const own = await apiGet<ListPage<{ id: string }>>(
      stack.current,
      repToken,
      `/orgs/${org}/customers?owner_id=${me.id}&limit=1`,
    )
    customerId = own.data[0]?.id as string
    expect(customerId).toBeTruthy()
  })
  afterAll(async () => {
    await browser?.close()
  })

  const openCustomer = async (page: Page, email: string, tab = 'contacts') => {
    await signIn(page, stack.current, email)
    await page.goto(`${stack.current.url}/#/orgs/${org}/customers/${customerId}/${tab}`)
    await page.getByRole('tablist', { name: 'Customer records' }).waitFor()
  }

  it('should show on each tab the count the API gives for the customer', async () => {
    const { context, page, errors } = await openPage(browser)
    await openCustomer(page, 'rep@acme.example')
    const customer = await apiGet<CustomerDetail>(stack.current, repToken, `/customers/${customerId}`)
    await page.getByRole('heading', { level: 1, name: customer.name }).waitFor()
    for (const [key, label] of tabs) {
      const text = await page.getByRole('tab', { name: new RegExp(`^${label}`) }).textContent()
      expect(text?.replace(/\s+/g, ' ').trim()).toBe(`${label} ${customer.counts[key]}`)
    }
    expect(errors).toEqual([])
    await context.close()
  })

  /** Another of the rep's customers, in an open phase, for the deal tests (the others keep theirs). */
  const openDeal = async () => {
    const me = await apiGet<Me>(stack.current, repToken, '/me')
    const page = await apiGet<ListPage<Customer>>(
      stack.current,
      repToken,
      customersPath(org, { phase: phasesOf('open'), owner: me.id }, { limit: 5 }),
    )
    const found = page.data.find((c) => c.id !== customerId)
    if (!found) throw new Error('The seed gave rep@acme.example no second open customer')
    return found
  }
  const day = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' })
  const dayText = (iso: string) => day.format(new Date(`${iso}T00:00:00Z`))

  it('should show in the header the value, close date (overdue in warning colour) and next step the API gives', async () => {
    const deal = await openDeal()
    await apiSend(stack.current, repToken, 'PATCH', `/customers/${deal.id}`, {
      deal_value: '12500.50',
      expected_close_date: '2026-01-15',
      next_step: 'Send the revised proposal to procurement',
    })
    const api = await apiGet<CustomerDetail>(stack.current, repToken, `/customers/${deal.id}`)
    const { currency } = await apiGet<SalesFigures>(stack.current, repToken, `/orgs/${org}/metrics/sales`)
    const { context, page, errors } = await openPage(browser)
    await signIn(page, stack.current, 'rep@acme.example')
    await page.goto(`${stack.current.url}/#/orgs/${org}/customers/${deal.id}/contacts`)
    const header = page.locator('dl.customer-deal')
    await header.waitFor()
    const money = (amount: string) => formatMoney(amount, currency, 'en-GB')
    // The currency comes with the sales figures, which may answer after the customer.
    await expect
      .poll(() => header.locator('.deal-value').textContent(), { timeout: 20_000 })
      .toBe(money(api.value))
    expect((await header.locator('.deal-split').textContent())?.replace(/\s+/g, ' ').trim()).toBe(
      `deal ${money('12500.50')} · ${money(api.monthly_recurring_value)}/month recurring`,
    )
    const close = header.locator('.deal-overdue')
    expect(await close.locator('time').getAttribute('datetime')).toBe('2026-01-15')
    expect((await close.textContent())?.replace(/\s+/g, ' ').trim()).toBe(`${dayText('2026-01-15')} overdue`)
    // The warning colour is not the body text's.
    const colours = await close.evaluate((dd) => [
      getComputedStyle(dd).color,
      getComputedStyle(document.body).color,
    ])
    expect(colours[0]).not.toBe(colours[1])
    expect(await header.locator('.deal-next dd').textContent()).toBe(api.next_step)
    // Its open tasks as the API lists them, the next three due (the seed gives some customers tasks).
    const tasks = await apiGet<ListPage<{ title: string }>>(
      stack.current,
      repToken,
      `/orgs/${org}/tasks?customer_id=${deal.id}&status=open`,
    )
    const openTasks = header.locator('.deal-tasks dd')
    await openTasks.getByText('…', { exact: true }).waitFor({ state: 'detached' })
    expect(await openTasks.locator('.task-title').allTextContents()).toEqual(
      tasks.data.slice(0, 3).map((t) => t.title),
    )
    expect(await openTasks.getByText('None', { exact: true }).count()).toBe(tasks.data.length === 0 ? 1 : 0)
    await saveScreenshot(page, 'customer-detail')
    expect(errors).toEqual([])
    await context.close()
  })

  it('should edit the deal fields in a dialog, show a bad amount’s error at its field, and round-trip through the API', async () => {
    const deal = await openDeal()
    const closeDate = aYearFromToday()
    const { context, page, errors } = await openPage(browser)
    await signIn(page, stack.current, 'rep@acme.example')
    await page.goto(`${stack.current.url}/#/orgs/${org}/customers/${deal.id}/contacts`)
    await page.getByRole('button', { name: 'Edit deal' }).click()
    const dialog = page.getByRole('dialog', { name: 'Edit deal' })
    const amount = dialog.getByLabel('Deal value')
    await amount.fill('12,50')
    await dialog.getByRole('button', { name: 'Save deal' }).click()
    // The API's 400 names the field: its message is at the field, which has focus; the dialog stays.
    const message = dialog.locator('#deal-deal_value-error')
    await message.waitFor()
    expect(await message.textContent()).toContain('at most two decimals')
    expect(await amount.getAttribute('aria-invalid')).toBe('true')
    expect(await amount.getAttribute('aria-describedby')).toContain('deal-deal_value-error')
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('deal-deal_value')
    expect(await amount.inputValue()).toBe('12,50')

    await amount.fill('9999.99')
    await dialog.getByLabel('Expected close date').fill(closeDate)
    await dialog.getByLabel('Next step').fill('Call the CFO about the budget')
    await dialog.getByRole('button', { name: 'Save deal' }).click()
    await dialog.waitFor({ state: 'detached' })
    const saved = await apiGet<CustomerDetail>(stack.current, repToken, `/customers/${deal.id}`)
    expect(saved).toMatchObject({
      deal_value: '9999.99',
      expected_close_date: closeDate,
      next_step: 'Call the CFO about the budget',
    })
    const header = page.locator('dl.customer-deal')
    await expect
      .poll(() => header.locator('.deal-next dd').textContent())
      .toBe('Call the CFO about the budget')
    expect(await header.locator('time').getAttribute('datetime')).toBe(closeDate)
    expect(await header.locator('.deal-overdue').count()).toBe(0)

    // Clearing a field sends null.
    await page.getByRole('button', { name: 'Edit deal' }).click()
    await dialog.getByLabel('Next step').fill('')
    await dialog.getByRole('button', { name: 'Save deal' }).click()
    await dialog.waitFor({ state: 'detached' })
    expect(
      (await apiGet<CustomerDetail>(stack.current, repToken, `/customers/${deal.id}`)).next_step,
    ).toBeNull()
    await expect.poll(() => header.locator('.deal-next dd').textContent()).toBe('None yet')
    // The one refused save (the bad amount) and nothing else.
    expect(errors).toEqual([failedRequest(400)])
    await context.close()
  })

  it('should let the owning rep create, edit and delete a contact, each confirmed by the API', async () => {
    const { context, page, errors } = await openPage(browser)
    await openCustomer(page, 'rep@acme.example')
    const name = `Browser Contact ${Date.now()}`
    await page.getByRole('button', { name: 'Add contact' }).click()
    const dialog = page.getByRole('dialog', { name: 'Add a contact' })
    await dialog.getByLabel('Name', { exact: true }).fill(name)
    await dialog.getByLabel('Email').fill('browser.contact@example.com')
    await dialog.getByRole('button', { name: 'Add contact' }).click()
    await page.getByRole('rowheader', { name }).waitFor()
    const contacts = () =>
      apiGet<ListPage<Contact>>(stack.current, repToken, `/customers/${customerId}/contacts?limit=100`)
    const created = (await contacts()).data.find((c) => c.name === name)
    expect(created?.email).toBe('browser.contact@example.com')
    const counted = await apiGet<CustomerDetail>(stack.current, repToken, `/customers/${customerId}`)
    await page.getByRole('tab', { name: `Contacts ${counted.counts.contacts}`, exact: true }).waitFor()

    await page.getByRole('button', { name: `Edit ${name}` }).click()
    const edit = page.getByRole('dialog', { name: 'Edit contact' })
    await edit.getByLabel('Role at the customer').fill('Head of Procurement')
    await edit.getByRole('button', { name: 'Save changes' }).click()
    await page
      .getByRole('row', { name: new RegExp(name) })
      .getByText('Head of Procurement')
      .waitFor()
    expect((await contacts()).data.find((c) => c.id === created?.id)?.role).toBe('Head of Procurement')

    await page.getByRole('button', { name: `Delete ${name}` }).click()
    await page
      .getByRole('dialog', { name: 'Delete contact?' })
      .getByRole('button', { name: 'Delete contact' })
      .click()
    await page.getByRole('rowheader', { name }).waitFor({ state: 'detached' })
    expect((await contacts()).data.some((c) => c.id === created?.id)).toBe(false)
    expect(errors).toEqual([])
    await context.close()
  })

  it('should refuse a duplicate finance code in plain words and keep the form', async () => {
    const { context, page } = await openPage(browser)
    await openCustomer(page, 'rep@acme.example', 'teams')
    let teams = await apiGet<ListPage<Team>>(stack.current, repToken, `/customers/${customerId}/teams`)
    if (teams.data.length === 0) {
      await apiSend(stack.current, repToken, 'POST', `/customers/${customerId}/teams`, {
        name: 'Existing team',
        finance_code: 'FC-EXISTING-1',
      })
      await page.reload()
      teams = await apiGet<ListPage<Team>>(stack.current, repToken, `/customers/${customerId}/teams`)
    }
    const taken = teams.data[0]?.finance_code as string
    await page.getByRole('button', { name: 'Add team' }).click()
    const dialog = page.getByRole('dialog', { name: 'Add a team' })
    await dialog.getByLabel('Name', { exact: true }).fill('Duplicate team')
    await dialog.getByLabel('Finance code').fill(taken)
    await dialog.getByRole('button', { name: 'Add team' }).click()
    await dialog.getByRole('alert').filter({ hasText: 'already uses this finance code' }).waitFor()
    expect(await dialog.getByLabel('Finance code').getAttribute('aria-invalid')).toBe('true')
    expect(await dialog.getByLabel('Name', { exact: true }).inputValue()).toBe('Duplicate team')
    expect(await dialog.getByLabel('Finance code').inputValue()).toBe(taken)
    const after = await apiGet<ListPage<Team>>(stack.current, repToken, `/customers/${customerId}/teams`)
    expect(after.data.length).toBe(teams.data.length)
    await context.close()
  })

  it('should roll back a stale rename with a message and show the newer name', async () => {
    const { context, page } = await openPage(browser)
    await openCustomer(page, 'rep@acme.example')
    const before = await apiGet<CustomerDetail>(stack.current, repToken, `/customers/${customerId}`)
    await page.getByRole('heading', { level: 1, name: before.name }).waitFor()
    // Another session (a manager) renames the customer between the page's read and its write: the
    // manager's change is made while the rep's PATCH is held, so live updates cannot refresh it first.
    const managerToken = await apiTokenFor(stack.current, 'manager@acme.example')
    const managersName = `${before.name} (managed)`
    await page.route(`**/api/customers/${customerId}`, async (route) => {
      if (route.request().method() === 'PATCH')
        await apiSend(stack.current, managerToken, 'PATCH', `/customers/${customerId}`, {
          name: managersName,
        })
      await route.continue()
    })
    await page.getByRole('button', { name: 'Rename' }).click()
    await page.getByLabel('Customer name').fill('A name that must not stick')
    await page.getByRole('button', { name: 'Save name' }).click()
    await page.getByRole('alert').filter({ hasText: 'Someone else changed this customer' }).waitFor()
    await page.getByRole('heading', { level: 1, name: managersName }).waitFor()
    const after = await apiGet<CustomerDetail>(stack.current, repToken, `/customers/${customerId}`)
    expect(after.name).toBe(managersName)
    await context.close()
  })

  it('should change a process status inline at once, and roll it back when the process changed meanwhile', async () => {
    const { context, page } = await openPage(browser)
    const processes = () =>
      apiGet<ListPage<Process>>(stack.current, repToken, `/customers/${customerId}/processes?limit=100`)
    let process = (await processes()).data[0]
    if (!process) {
      process = await apiSend<Process>(
        stack.current,
        repToken,
        'POST',
        `/customers/${customerId}/processes`,
        {
          name: 'Inline status process',
        },
      )
    }
    await openCustomer(page, 'rep@acme.example', 'processes')
    const status = page.getByLabel(`Status of ${process.name}`)
    const next = process.status === 'blocked' ? 'done' : 'blocked'
    const saved = page.waitForResponse(
      (r) => r.url().endsWith(`/processes/${process.id}`) && r.request().method() === 'PATCH',
    )
    await status.selectOption(next)
    expect((await saved).status()).toBe(200)
    expect((await apiGet<Process>(stack.current, repToken, `/processes/${process.id}`)).status).toBe(next)

    // A manager renames the process while the rep's next change is on its way: 412, rolled back.
    const managerToken = await apiTokenFor(stack.current, 'manager@acme.example')
    const renamed = `${process.name} (renamed)`
    await page.route(`**/api/processes/${process.id}`, async (route) => {
      if (route.request().method() === 'PATCH')
        await apiSend(stack.current, managerToken, 'PATCH', `/processes/${process.id}`, { name: renamed })
      await route.continue()
    })
    await status.selectOption('cancelled')
    await page.getByRole('alert').filter({ hasText: 'Someone else changed this process' }).waitFor()
    const latest = page.getByLabel(`Status of ${renamed}`)
    await latest.waitFor()
    await expect.poll(() => latest.inputValue()).toBe(next)
    expect((await apiGet<Process>(stack.current, repToken, `/processes/${process.id}`)).status).toBe(next)
    await context.close()
  })

  it('should show a viewer no create, edit or delete controls on any tab', async () => {
    const { context, page, errors } = await openPage(browser)
    await openCustomer(page, 'viewer@acme.example')
    const customer = await apiGet<CustomerDetail>(stack.current, repToken, `/customers/${customerId}`)
    await page.getByRole('heading', { level: 1, name: customer.name }).waitFor()
    expect(await page.getByLabel('Phase').count()).toBe(0)
    for (const [, label] of tabs) {
      await page.getByRole('tab', { name: new RegExp(`^${label}`) }).click()
      await page.getByRole('tab', { name: new RegExp(`^${label}`), selected: true }).waitFor()
      const panel = page.getByRole('tabpanel')
      await panel.locator('table, .state-empty, .timeline').first().waitFor()
      const writes = panel.getByRole('button', { name: /^(Add|Edit|Delete|Upload|Rename)/ })
      expect(await writes.count(), `${label}: write buttons`).toBe(0)
      expect(await panel.getByLabel(/^(File|Add a note)$/).count(), `${label}: write fields`).toBe(0)
      expect(await panel.getByRole('combobox').count(), `${label}: inline selects`).toBe(0)
    }
    expect(await page.getByRole('button', { name: /Delete customer|Rename/ }).count()).toBe(0)
    expect(errors).toEqual([])
    await context.close()
  })

  it('should move between tabs with the arrow keys, changing the URL, and go back with Back', async () => {
    const { context, page } = await openPage(browser)
    await openCustomer(page, 'rep@acme.example')
    const contacts = page.getByRole('tab', { name: /^Contacts/ })
    await contacts.focus()
    await page.keyboard.press('ArrowRight')
    await page.waitForURL(/\/teams$/)
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-teams')
    await page.getByRole('tab', { name: /^Teams/, selected: true }).waitFor()
    await page.keyboard.press('End')
    await page.waitForURL(/\/timeline$/)
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-timeline')
    await page.keyboard.press('ArrowRight')
    await page.waitForURL(/\/contacts$/)
    // Followed like a click (a history entry), but by the link itself: a click at a point
    // can land on a neighbouring tab when a live count widens one meanwhile.
    await page.getByRole('tab', { name: /^Services/ }).press('Enter')
    await page.waitForURL(/\/services$/)
    await page.goBack()
    await page.waitForURL(/\/contacts$/)
    await page.getByRole('tab', { name: /^Contacts/, selected: true }).waitFor()
    await context.close()
  })

  it('should show a contact added and renamed in another session live, with its count', async () => {
    const { context, page } = await openPage(browser)
    await openCustomer(page, 'rep@acme.example')
    await page.locator('.live-status', { hasText: 'Live' }).waitFor()
    await page.getByRole('tabpanel').locator('table, .state-empty').first().waitFor()
    const managerToken = await apiTokenFor(stack.current, 'manager@acme.example')
    const name = `Live Contact ${Date.now()}`
    const created = await apiSend<Contact>(
      stack.current,
      managerToken,
      'POST',
      `/customers/${customerId}/contacts`,
      {
        name,
      },
    )
    await page.getByRole('rowheader', { name }).waitFor()
    const counted = await apiGet<CustomerDetail>(stack.current, repToken, `/customers/${customerId}`)
    await page.getByRole('tab', { name: `Contacts ${counted.counts.contacts}`, exact: true }).waitFor()
    await apiSend(stack.current, managerToken, 'PATCH', `/contacts/${created.id}`, { role: 'Live role' })
    await page
      .getByRole('row', { name: new RegExp(name) })
      .getByText('Live role')
      .waitFor()
    await apiSend(stack.current, managerToken, 'DELETE', `/contacts/${created.id}`)
    await page.getByRole('rowheader', { name }).waitFor({ state: 'detached' })
    await context.close()
  })

  it('should add a note to the timeline, newest first, in the writer’s name', async () => {
    const { context, page } = await openPage(browser)
    await openCustomer(page, 'rep@acme.example', 'timeline')
    await page.locator('.timeline, .state-empty').first().waitFor()
    const note = `Called about the renewal, ${Date.now()}`
    await page.getByLabel('Add a note').fill(note)
    await page.getByRole('button', { name: 'Add note' }).click()
    const first = page.locator('.timeline-event').first()
    await first.getByText(note).waitFor()
    const me = await apiGet<Me>(stack.current, repToken, '/me')
    expect(await first.locator('.event-type').textContent()).toBe('Note')
    expect(await first.locator('.event-meta').textContent()).toContain(me.display_name)
    const events = await apiGet<ListPage<TimelineEvent>>(
      stack.current,
      repToken,
      `/customers/${customerId}/timeline`,
    )
    expect(events.data[0]).toMatchObject({ type: 'note', description: note, actor_id: me.id })
    const counted = await apiGet<CustomerDetail>(stack.current, repToken, `/customers/${customerId}`)
    await page.getByRole('tab', { name: `Timeline ${counted.counts.timeline_events}`, exact: true }).waitFor()
    await context.close()
  })

  it('should add a task from the header, list it overdue, and complete it with a tick that the timeline records', async () => {
    const me = await apiGet<Me>(stack.current, repToken, '/me')
    const created = await apiSend<{ id: string }>(stack.current, repToken, 'POST', `/orgs/${org}/customers`, {
      name: `Customer with a task ${Date.now()}`,
    })
    const { context, page, errors } = await openPage(browser)
    await signIn(page, stack.current, 'rep@acme.example')
    await page.goto(`${stack.current.url}/#/orgs/${org}/customers/${created.id}/timeline`)
    const deal = page.getByRole('definition').filter({ has: page.getByRole('button', { name: 'Add task' }) })
    await deal.getByText('None').waitFor()

    await page.getByRole('button', { name: 'Add task' }).click()
    const dialog = page.getByRole('dialog', { name: 'Add task' })
    await dialog.getByRole('button', { name: 'Add task' }).click()
    await dialog.getByRole('alert').getByText('Give the task a title.').waitFor()
    const title = `Send the signed order form ${Date.now()}`
    await dialog.getByLabel('Title').fill(title)
    await dialog.getByLabel('Due').fill('2026-01-05T09:00')
    await dialog.getByRole('button', { name: 'Add task' }).click()
    await dialog.waitFor({ state: 'detached' })

    const line = page.getByRole('list', { name: 'Open tasks' }).getByRole('listitem')
    await line.getByText(title).waitFor()
    expect(await line.locator('time').textContent()).toMatch(/^\s*was due /)
    const listed = await apiGet<ListPage<{ id: string; title: string; assignee_id: string; due_at: string }>>(
      stack.current,
      repToken,
      `/orgs/${org}/tasks?customer_id=${created.id}&status=open`,
    )
    expect(listed.data).toEqual([expect.objectContaining({ title, assignee_id: me.id })])
    const task = listed.data[0] as { id: string; due_at: string }
    expect(Date.parse(task.due_at)).toBeLessThan(Date.now())

    await page.getByRole('checkbox', { name: `Mark “${title}” done` }).click()
    await deal.getByText('None').waitFor()
    // The row leaves at once; the toast says the server took it.
    await page
      .getByRole('status')
      .filter({ hasText: `Done: ${title}` })
      .waitFor({ state: 'attached' })
    const done = await apiGet<{ done_at: string | null }>(stack.current, repToken, `/tasks/${task.id}`)
    expect(done.done_at).not.toBeNull()
    const events = await apiGet<ListPage<TimelineEvent>>(
      stack.current,
      repToken,
      `/customers/${created.id}/timeline`,
    )
    expect(events.data.map((e) => e.type)).toContain('task_completed')
    expect(errors).toEqual([])
    await context.close()
  })

  it('should log a meeting from the header, refuse one in the future, and show it in the timeline in the rep’s name', async () => {
    const me = await apiGet<Me>(stack.current, repToken, '/me')
    const created = await apiSend<{ id: string }>(stack.current, repToken, 'POST', `/orgs/${org}/customers`, {
      name: `Customer with a meeting ${Date.now()}`,
    })
    const { context, page, errors } = await openPage(browser)
    await signIn(page, stack.current, 'rep@acme.example')
    await page.goto(`${stack.current.url}/#/orgs/${org}/customers/${created.id}/timeline`)
    await page.getByRole('button', { name: 'Log activity' }).click()
    const dialog = page.getByRole('dialog', { name: 'Log activity' })
    await dialog.getByRole('radio', { name: 'Meeting' }).check()
    await dialog.getByLabel('Outcome').selectOption({ label: 'Follow-up needed' })
    const summary = `Walked through the rollout plan ${Date.now()}`
    await dialog.getByLabel(/^Summary/).fill(summary)
    await saveScreenshot(page, 'log-activity')
    // The test browser runs in UTC (support/chromium.ts): a datetime-local value is the UTC time.
    const localInputValue = (at: Date) => at.toISOString().slice(0, 16)
    // Tomorrow has not happened yet: said at once, nothing sent.
    const tomorrow = new Date(Date.now() + 86_400_000)
    await dialog.getByLabel('When').fill(localInputValue(tomorrow))
    await dialog.getByRole('button', { name: 'Log activity' }).click()
    await dialog
      .getByRole('alert')
      .getByText(/pick a time in the past/)
      .waitFor()
    const yesterday = new Date(Date.now() - 86_400_000)
    await dialog.getByLabel('When').fill(localInputValue(yesterday))
    await dialog.getByRole('button', { name: 'Log activity' }).click()
    await dialog.waitFor({ state: 'detached' })
    await page
      .getByRole('status')
      .filter({ hasText: 'Meeting logged: follow-up needed' })
      .waitFor({ state: 'attached' })

    type Logged = { kind: string; outcome: string; summary: string; actor_id: string; occurred_at: string }
    const logged = await apiGet<ListPage<Logged>>(
      stack.current,
      repToken,
      `/customers/${created.id}/activities`,
    )
    expect(logged.data).toEqual([
      expect.objectContaining({ kind: 'meeting', outcome: 'follow_up', summary, actor_id: me.id }),
    ])
    // To the minute the form said, in this browser's time zone.
    expect(Math.abs(Date.parse(logged.data[0]?.occurred_at as string) - yesterday.getTime())).toBeLessThan(
      60_000,
    )
    await page.reload()
    await page.getByText(summary, { exact: false }).first().waitFor()
    expect(errors).toEqual([])
    await context.close()
  })

  it('should delete a customer after confirming and go back to the customers list', async () => {
    const created = await apiSend<{ id: string }>(stack.current, repToken, 'POST', `/orgs/${org}/customers`, {
      name: `Short-lived customer ${Date.now()}`,
    })
    const { context, page } = await openPage(browser)
    await signIn(page, stack.current, 'rep@acme.example')
    await page.goto(`${stack.current.url}/#/orgs/${org}/customers/${created.id}/contacts`)
    await page.getByRole('button', { name: 'Delete customer' }).click()
    await page
      .getByRole('dialog', { name: 'Delete customer?' })
      .getByRole('button', { name: 'Delete customer' })
      .click()
    await page.waitForURL(new RegExp(`#/orgs/${org}/customers$`))
    const gone = await fetch(`${stack.current.url}/api/customers/${created.id}`, {
      headers: { Authorization: `Bearer ${repToken}` },
    })
    expect(gone.status).toBe(404)
    await context.close()
  })

  it('should fit a 375 px wide phone and say clearly when a customer does not exist', async () => {
    const { context, page } = await openPage(browser, { width: 375, height: 740 })
    await openCustomer(page, 'rep@acme.example', 'documents')
    await page.getByRole('tabpanel').locator('table, .state-empty').first().waitFor()
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    await page.goto(
      `${stack.current.url}/#/orgs/${org}/customers/00000000-0000-4000-8000-000000000000/contacts`,
    )
    await page.getByRole('heading', { name: 'Customer not found' }).waitFor()
    await context.close()
  })
})
