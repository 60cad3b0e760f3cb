import { mkdir } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import { DEMO_PASSWORD } from '../../../scripts/seed/demo-accounts.ts'
import { localSupabaseClient } from '../../support/supabase-client.ts'
import type { BrowserStack } from './stack.ts'

/**
 * Signs in through the dashboard's own form, as a person does, and waits for
 * the first screen after it. Returns the organization id in the URL.
 */
export async function signIn(page: Page, stack: BrowserStack, email: string): Promise<string> {
  await page.goto(`${stack.url}/`)
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(/#\/orgs\/[0-9a-f-]{36}\//)
  return /#\/orgs\/([0-9a-f-]{36})\//.exec(page.url())?.[1] as string
}

/** The same person's access token from the real supabase-js client, for checking the dashboard against the API. */
export async function apiTokenFor(stack: BrowserStack, email: string): Promise<string> {
  const { data, error } = await localSupabaseClient(stack.url, stack.anonKey).auth.signInWithPassword({
    email,
    password: DEMO_PASSWORD,
  })
  if (error || !data.session) throw new Error(`Sign-in failed for ${email}: ${error?.message}`)
  return data.session.access_token
}

/** A GET on the API with that token: what the dashboard should be showing. */
export async function apiGet<T>(stack: BrowserStack, token: string, path: string): Promise<T> {
  const res = await fetch(`${stack.url}/api${path}`, { headers: { Authorization: `Bearer ${token}` } })
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`)
  return (await res.json()) as T
}

/** A write on the API as that person (another session, from the dashboard's point of view). */
export async function apiSend<T>(
  stack: BrowserStack,
  token: string,
  method: 'POST' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${stack.url}/api${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
  return (res.status === 204 ? undefined : await res.json()) as T
}

/**
 * Saves a screenshot for the docs. `npm run screenshots` sets SCREENSHOT_DIR
 * to docs/screenshots (the README's pictures); a plain test run keeps them in
 * .data/screenshots so `npm test` never changes tracked files.
 */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  const dir = process.env.SCREENSHOT_DIR || '.data/screenshots'
  await mkdir(dir, { recursive: true })
  const path = `${dir}/${name}.png`
  await page.screenshot({ path, fullPage: false })
  return path
}
