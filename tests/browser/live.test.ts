import { createServer } from 'node:net'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openPGlite, pgliteDatabase } from '../../functions/db/pglite.ts'
import { createPostgresDatabase } from '../../functions/db/postgres.ts'
import type { Page as ApiPage, Customer } from '../../web/src/api/types.ts'
import { type StartedStack, startStackProcess, stopStackProcess } from '../support/start-process.ts'
import { hasChromium, launchChromium, noChromiumReason, openPage } from './support/chromium.ts'
import { apiGet, apiTokenFor, signIn } from './support/dashboard.ts'
import type { StackData } from './support/prepared-stack.ts'
import { type BrowserStack, copyPreparedStackData } from './support/stack.ts'

const suite = hasChromium ? describe : describe.skip
const title = hasChromium
  ? 'dashboard: live updates'
  : `dashboard: live updates (skipped: ${noChromiumReason})`

/** A free port, so the stack can be restarted where the open pages expect it. */
async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  await new Promise((resolve) => server.close(resolve))
  return port
}

/**
 * Two people of one organization in two browser contexts: what one changes,
 * the other sees without reloading. Then the whole stack restarts while a
 * page stays open: the page reconnects by itself and re-fetches what changed
 * while it was away (no event is the only copy of anything).
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
    // A copy of the run's prepared data, on a fixed port so a restart comes back where the pages expect it.
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

  /** A customer the rep owns, as the API shows it to the rep. */
  const repsCustomer = async (org: string) => {
    const token = await apiTokenFor(stack, 'rep@acme.example')
    const me = await apiGet<{ id: string }>(stack, token, '/me')
    const page = await apiGet<ApiPage<Customer>>(
      stack,
      token,
      `/orgs/${org}/customers?owner_id=${me.id}&limit=1`,
    )
    return page.data[0] as Customer
  }

  it('should show a manager’s phase change on the rep’s open table and tell the rep, without a reload', async () => {
    const rep = await openPage(browser)
    const manager = await openPage(browser)
    const org = await signIn(rep.page, stack, 'rep@acme.example')
    await signIn(manager.page, stack, 'manager@acme.example')
    const customer = await repsCustomer(org)
    const search = `#/orgs/${org}/customers?q=${encodeURIComponent(customer.name)}`
    await rep.page.goto(`${stack.url}/${search}`)
    await manager.page.goto(`${stack.url}/${search}`)
    await rep.page.locator('.live-live').waitFor()

    const phase = customer.phase === 'won' ? 'active' : 'won'
    const label = phase === 'won' ? 'Won' : 'Active'
    await manager.page.getByRole('combobox', { name: `Phase of ${customer.name}` }).selectOption(phase)

    const repSelect = rep.page.getByRole('combobox', { name: `Phase of ${customer.name}` })
    await expect.poll(() => repSelect.inputValue(), { timeout: 10_000 }).toBe(phase)
    await rep.page.locator('.toast', { hasText: `${customer.name}” moved to ${label}` }).waitFor()
    // The manager made the change: no toast about it on the manager's own page.
    expect(await manager.page.locator('.toast', { hasText: 'moved to' }).count()).toBe(0)
    expect(rep.errors).toEqual([])
    expect(manager.errors).toEqual([])
    await rep.context.close()
    await manager.context.close()
  })

  it('should reconnect after the stack restarts and re-fetch a change made while it was down', async () => {
    const { context, page, errors } = await openPage(browser)
    const org = await signIn(page, stack, 'rep@acme.example')
    const customer = await repsCustomer(org)
    await page.goto(`${stack.url}/#/orgs/${org}/customers?q=${encodeURIComponent(customer.name)}`)
    await page.locator('.live-live').waitFor()
    const row = page.locator('table.customers-table tbody tr', { hasText: customer.name })
    await row.waitFor()

    await stopStackProcess(started?.child as StartedStack['child'])
    await page.locator('.live-offline').waitFor({ timeout: 30_000 })
    // Changed behind the page's back, while nothing could tell it.
    const renamed = `${customer.name} (renamed while away)`
    const db = env.DATABASE_URL
      ? createPostgresDatabase(env.DATABASE_URL, { max: 1 })
      : pgliteDatabase(await openPGlite(join(env.DATA_DIR as string, 'pglite')))
    await db.query('update public.customers set name = $1 where id = $2', [renamed, customer.id])
    await db.close()

    await start()
    await page.locator('.live-live').waitFor({ timeout: 60_000 })
    await page.locator('table.customers-table tbody tr', { hasText: renamed }).waitFor({ timeout: 15_000 })
    // Only failed requests while the server was down may have been logged, never a page error.
    expect(errors.filter((e) => e.startsWith('pageerror'))).toEqual([])
    await context.close()
  })
})
