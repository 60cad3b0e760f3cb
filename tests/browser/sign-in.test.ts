import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoAccountList } from '../../scripts/seed/demo-accounts.ts'
import { hasChromium, launchChromium, noChromiumReason, openPage } from './support/chromium.ts'
import { apiSend, apiTokenFor, signIn } from './support/dashboard.ts'
import { useBrowserStack } from './support/stack.ts'

const suite = hasChromium ? describe : describe.skip
const title = hasChromium
  ? 'dashboard: sign in and the frame'
  : `dashboard: sign in (skipped: ${noChromiumReason})`

suite(title, { timeout: 120_000 }, () => {
  const stack = useBrowserStack()
  let browser: Browser
  beforeAll(async () => {
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('should sign in every seeded role of Acme and show who is signed in, with that role', async () => {
    const acme = demoAccountList.filter(
      (a) => a.organization === 'Acme Corporation' && a.email !== 'multi@acme.example',
    )
    expect(acme.map((a) => a.role).sort()).toEqual(['admin', 'manager', 'owner', 'rep', 'rep', 'viewer'])
    for (const account of acme) {
      const { context, page, errors } = await openPage(browser)
      await signIn(page, stack.current, account.email)
      const label = { owner: 'Owner', admin: 'Admin', manager: 'Manager', rep: 'Sales rep', viewer: 'Viewer' }
      await page.locator('.who', { hasText: label[account.role as keyof typeof label] }).waitFor()
      expect(page.url()).toMatch(/\/overview$/)
      expect(errors).toEqual([])
      await context.close()
    }
  })

  it('should sign in and follow changes live when opened at 127.0.0.1 instead of localhost', async () => {
    const { context, page, errors } = await openPage(browser)
    // The address `npm start` binds by default: the page's API, Auth and Realtime calls go to it, not to localhost.
    const at = { ...stack.current, url: stack.current.url.replace('//localhost:', '//127.0.0.1:') }
    expect(at.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const cross: string[] = []
    page.on('request', (request) => {
      if (!request.url().startsWith(at.url)) cross.push(request.url())
    })
    const org = await signIn(page, at, 'manager@acme.example')
    await page
      .getByRole('status')
      .filter({ hasText: /^Live$/ })
      .waitFor()
    const customers = page.getByRole('region', { name: 'Customers', exact: true }).locator('.kpi-value')
    const before = Number((await customers.textContent())?.replace(/\D/g, ''))
    const token = await apiTokenFor(stack.current, 'manager@acme.example')
    await apiSend(stack.current, token, 'POST', `/orgs/${org}/customers`, {
      name: 'Loopback Ltd',
      phase: 'lead',
    })
    await expect
      .poll(async () => Number((await customers.textContent())?.replace(/\D/g, '')), { timeout: 15_000 })
      .toBe(before + 1)
    expect(cross).toEqual([])
    expect(errors).toEqual([])
    await context.close()
  })

  it('should refuse a wrong password in plain words and stay on the form', async () => {
    const { context, page } = await openPage(browser)
    await page.goto(`${stack.current.url}/`)
    await page.getByLabel('Email').fill('rep@acme.example')
    await page.getByLabel('Password').fill('not-the-password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('alert').filter({ hasText: 'do not match' }).waitFor()
    expect(page.url()).toContain('#/sign-in')
    await context.close()
  })

  it('should send a deep link through sign-in and back to it, and keep the session across a reload', async () => {
    const { context, page } = await openPage(browser)
    const org = await signIn(page, stack.current, 'manager@acme.example')
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByLabel('Email').waitFor()
    const deepLink = `${stack.current.url}/#/orgs/${org}/pipeline`
    await page.goto(deepLink)
    await page.waitForURL(/#\/sign-in\?next=/)
    await page.getByLabel('Email').fill('manager@acme.example')
    await page.getByLabel('Password').fill('demo-password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(deepLink)
    await page.reload()
    await page.getByRole('link', { name: 'Pipeline' }).and(page.locator('[aria-current="page"]')).waitFor()
    expect(page.url()).toBe(deepLink)
    await context.close()
  })

  it('should send an expired session to sign in with a notice, then back where it was', async () => {
    const { context, page } = await openPage(browser)
    const org = await signIn(page, stack.current, 'rep@acme.example')
    // The server no longer accepts the token (as after its expiry): the stored
    // session is garbled before the page's scripts run, so the running client
    // cannot write the good one back over it (it did, under load).
    await page.addInitScript(() => {
      for (const key of Object.keys(localStorage)) {
        const value = JSON.parse(localStorage.getItem(key) ?? 'null')
        if (value?.access_token && !value.access_token.endsWith('x')) {
          value.access_token = `${value.access_token}x`
          localStorage.setItem(key, JSON.stringify(value))
        }
      }
    })
    await page.goto(`${stack.current.url}/#/orgs/${org}/customers`)
    await page.reload()
    await page.getByText('Your session has ended').waitFor()
    // The notice renders first; the redirect to the sign-in URL follows in an effect.
    await page.waitForURL(/#\/sign-in\?next=/)
    expect(page.url()).toContain(`next=/orgs/${org}/customers`)
    await context.close()
  })

  it('should offer the organization switcher to someone in several and switch screens with it', async () => {
    const { context, page } = await openPage(browser)
    const first = await signIn(page, stack.current, 'multi@acme.example')
    const switcher = page.getByLabel('Organization')
    const options = await switcher.locator('option').allTextContents()
    expect(options.length).toBeGreaterThan(1)
    const other = await switcher.locator('option').nth(1).getAttribute('value')
    const target = other === first ? await switcher.locator('option').nth(0).getAttribute('value') : other
    await switcher.selectOption(target as string)
    await page.waitForURL(new RegExp(`#/orgs/${target}/overview`))
    await page.goBack()
    await page.waitForURL(new RegExp(`#/orgs/${first}/overview`))
    await context.close()
  })

  it('should fit a 375 px wide phone without horizontal scrolling', async () => {
    const { context, page } = await openPage(browser, { width: 375, height: 740 })
    await signIn(page, stack.current, 'manager@acme.example')
    await page.locator('main').waitFor()
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    await context.close()
  })
})
