import { existsSync } from 'node:fs'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'

/** Debian's Chromium, as CI installs it (`apt-get install -y chromium`). */
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
export const hasChromium = existsSync(chromiumPath)

/** Said once per run by the global setup, and in every skipped suite's title. */
export const noChromiumReason = `no Chromium at ${chromiumPath} (apt-get install -y chromium)`

// The flags this machine kind needs: its network is closed, so Chromium's own
// background traffic must be off or it is refused by the dozen.
const flags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: flags })
}

export interface OpenedPage {
  context: BrowserContext
  page: Page
  /** Uncaught page errors and console errors seen so far: a clean screen has none. */
  errors: string[]
}

/** A fresh context (own storage, so its own session) and page, recording page errors. */
export async function openPage(
  browser: Browser,
  options: { width?: number; height?: number } = {},
): Promise<OpenedPage> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 860 },
    locale: 'en-GB',
    timezoneId: 'UTC',
  })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`)
  })
  return { context, page, errors }
}
