import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ChatMessage, ChatSession, Page as ListPage, Me } from '../../web/src/api/types.ts'
import { hasChromium, launchChromium, noChromiumReason, openPage } from './support/chromium.ts'
import { apiGet, apiSend, apiTokenFor, signIn } from './support/dashboard.ts'
import { useBrowserStack } from './support/stack.ts'

const suite = hasChromium ? describe : describe.skip
const title = hasChromium ? 'dashboard: chat' : `dashboard: chat (skipped: ${noChromiumReason})`

suite(title, { timeout: 120_000 }, () => {
  const stack = useBrowserStack()
  let browser: Browser
  let repToken: string
  let org: string

  beforeAll(async () => {
    browser = await launchChromium()
    repToken = await apiTokenFor(stack.current, 'rep@acme.example')
    org = (await apiGet<Me>(stack.current, repToken, '/me')).memberships[0]?.org_id as string
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('should start a chat, send messages in order, rename it, deep-link to it, and keep it private', async () => {
    const { context, page, errors } = await openPage(browser)
    await signIn(page, stack.current, 'rep@acme.example')
    await page.goto(`${stack.current.url}/#/orgs/${org}/chat`)
    await page.getByLabel('Title').fill('Browser test chat')
    await page.getByRole('button', { name: 'New chat' }).click()
    await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/)
    const sessionId = /\/chat\/([0-9a-f-]{36})$/.exec(page.url())?.[1] as string
    await page.getByRole('heading', { name: 'Browser test chat' }).waitFor()
    await page
      .getByRole('link', { name: /Browser test chat/ })
      .and(page.locator('[aria-current="page"]'))
      .waitFor()

    // The box takes typing at once, but sends only once the conversation is in (as a person sees it).
    await page.getByRole('log', { name: 'Conversation' }).waitFor()
    const box = page.getByRole('textbox', { name: 'Message' })
    await box.fill('First: what changed this week?')
    await box.press('Enter')
    await page.locator('.message:not(.is-pending)', { hasText: 'First: what changed this week?' }).waitFor()
    await box.fill('Second: and the pipeline?')
    await box.press('Shift+Enter')
    await box.pressSequentially('Two lines.')
    await page.getByRole('button', { name: 'Send' }).click()
    await page.locator('.message:not(.is-pending)', { hasText: 'Two lines.' }).waitFor()

    const conversation = page.getByRole('log', { name: 'Conversation' })
    const shown = await conversation.locator('.message-content').allTextContents()
    const stored = await apiGet<ListPage<ChatMessage>>(
      stack.current,
      repToken,
      `/chat/sessions/${sessionId}/messages`,
    )
    expect(stored.data.map((m) => m.content)).toEqual([
      'First: what changed this week?',
      'Second: and the pipeline?\nTwo lines.',
    ])
    expect(shown).toEqual(stored.data.map((m) => m.content))

    // Written elsewhere (another tab of the same person): arrives live on the chat's private topic.
    await apiSend(stack.current, repToken, 'POST', `/chat/sessions/${sessionId}/messages`, {
      content: 'Third, from another tab.',
    })
    await conversation.locator('.message-content', { hasText: 'Third, from another tab.' }).waitFor()

    await page.getByRole('button', { name: 'Rename' }).click()
    const dialog = page.getByRole('dialog', { name: 'Rename chat' })
    await dialog.getByLabel('Title').fill('Weekly pipeline questions')
    await dialog.getByRole('button', { name: 'Save title' }).click()
    await page.getByRole('heading', { name: 'Weekly pipeline questions' }).waitFor()
    const session = await apiGet<ChatSession>(stack.current, repToken, `/chat/sessions/${sessionId}`)
    expect(session.title).toBe('Weekly pipeline questions')
    // Renamed and written to last: first in the list.
    await expect
      .poll(() => page.locator('.session-title').first().textContent())
      .toBe('Weekly pipeline questions')

    await page.reload()
    await page.getByRole('heading', { name: 'Weekly pipeline questions' }).waitFor()
    expect(page.url()).toMatch(new RegExp(`#/orgs/${org}/chat/${sessionId}$`))
    // The heading comes with the session; the messages follow in their own request.
    await expect
      .poll(() => page.getByRole('log', { name: 'Conversation' }).locator('.message-content').count())
      .toBe(3)
    expect(errors.filter((e) => !e.includes('Failed to load resource'))).toEqual([])

    // Another rep of the same organization can neither read it through the API nor open it by its link.
    const rep2Token = await apiTokenFor(stack.current, 'rep2@acme.example')
    const asRep2 = await fetch(`${stack.current.url}/api/chat/sessions/${sessionId}`, {
      headers: { Authorization: `Bearer ${rep2Token}` },
    })
    expect(asRep2.status).toBe(404)
    const other = await openPage(browser)
    await signIn(other.page, stack.current, 'rep2@acme.example')
    await other.page.goto(`${stack.current.url}/#/orgs/${org}/chat/${sessionId}`)
    await other.page.getByText('This chat does not exist, or it is not yours.').waitFor()
    expect(await other.page.locator('.session-title', { hasText: 'Weekly pipeline questions' }).count()).toBe(
      0,
    )
    await other.context.close()
    await context.close()
  })

  it('should delete a chat after confirming, and fit a 375 px phone one pane at a time', async () => {
    const { context, page } = await openPage(browser, { width: 375, height: 740 })
    await signIn(page, stack.current, 'rep@acme.example')
    await page.goto(`${stack.current.url}/#/orgs/${org}/chat`)
    await page.getByRole('button', { name: 'New chat' }).click()
    await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/)
    const sessionId = /\/chat\/([0-9a-f-]{36})$/.exec(page.url())?.[1] as string
    await page.getByRole('textbox', { name: 'Message' }).waitFor()
    expect(await page.getByRole('navigation', { name: 'Your chats' }).isVisible()).toBe(false)
    let overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(overflow).toBeLessThanOrEqual(0)

    await page.getByRole('button', { name: 'Delete' }).click()
    await page
      .getByRole('dialog', { name: 'Delete chat?' })
      .getByRole('button', { name: 'Delete chat' })
      .click()
    await page.waitForURL(/\/chat$/)
    await page.getByRole('navigation', { name: 'Your chats' }).waitFor()
    const gone = await fetch(`${stack.current.url}/api/chat/sessions/${sessionId}`, {
      headers: { Authorization: `Bearer ${repToken}` },
    })
    expect(gone.status).toBe(404)
    overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    await context.close()
  })
})
