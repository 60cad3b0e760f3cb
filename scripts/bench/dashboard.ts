// The dashboard part of npm run bench (issue 10): what the first screen
// downloads (gzip, from the same build `npm run build` reports) and, in
// headless Chromium against the local stack on the bench's database, the time
// from navigation start to the overview's KPI numbers shown and its charts drawn.
//
// The stack runs as `npm start` does, in its own process, on a free port
// (tests/support/start-process.ts, as the browser suite starts it). On a
// database that already holds the demo data it does not seed; it does apply
// pending migrations, and its local schedules run the nightly metrics job once
// at start (yesterday's daily_metrics recomputed, a job_runs row) and the
// abandoned-upload clean-up (pending documents over a day old): we wait for
// those to finish before measuring.
//
// One sign-in through the form; then every run is a cold page load: a new
// browser context (empty HTTP cache, nothing in memory) given that sign-in's
// session (localStorage), straight onto the overview's hash route. One
// discarded load first warms the server (Postgres caches, the stack's JIT).

import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, BrowserContext } from 'playwright-core'
import { createPostgresDatabase } from '../../functions/db/postgres.ts'
import { chromiumPath, hasChromium, launchChromium, openPage } from '../../tests/browser/support/chromium.ts'
import { signIn } from '../../tests/browser/support/dashboard.ts'
import type { BrowserStack } from '../../tests/browser/support/stack.ts'
import { startStackProcess, stopStackProcess } from '../../tests/support/start-process.ts'
import { isSeeded } from '../seed/load.ts'
import { buildWeb, firstScreenSizes, type WebBuild } from '../web/build.ts'
import { type DashboardResults, type DashboardRun, type DashboardTiming, spread } from './report.ts'

/** Set by the overview when every chart has drawn (chartsDrawnMark in web/src/screens/overview/overview.ts). */
const chartsDrawnMark = 'overview-charts-drawn'
/** Set by our init script in the frame that first paints all four KPI numbers. */
const kpiShownMark = 'bench-kpi-shown'

export interface MeasureDashboardOptions {
  databaseUrl: string
  runs: number
  log: (line: string) => void
  /** Who signs in (a demo account; the demo password). */
  email?: string
}

export async function measureDashboard(options: MeasureDashboardOptions): Promise<DashboardResults> {
  const { log } = options
  const build = await buildWeb()
  const firstScreen = firstScreenSizes(build)
  log(
    `Dashboard first screen: ${kb(firstScreen.totalGzipBytes)} gzip ` +
      `(JavaScript ${kb(firstScreen.jsGzipBytes)} in ${firstScreen.scripts} scripts)`,
  )
  if (!hasChromium) {
    const skipped = `no Chromium at ${chromiumPath} (apt-get install -y chromium): page-load times not measured`
    log(`Dashboard: ${skipped}`)
    return { firstScreen, skipped }
  }
  try {
    return { firstScreen, timing: await measureOverviewLoads({ ...options, build }) }
  } catch (error) {
    // After many minutes of API runs, a failed page load must not lose their results: it is reported instead.
    const skipped = `failed: ${error instanceof Error ? error.message : String(error)}`
    log(`Dashboard: page-load times ${skipped}`)
    return { firstScreen, skipped }
  }
}

async function measureOverviewLoads(
  options: MeasureDashboardOptions & { build: WebBuild },
): Promise<DashboardTiming> {
  const { databaseUrl, runs, log, build } = options
  const email = options.email ?? 'rep@acme.example'
  const db = createPostgresDatabase(databaseUrl, { max: 1 })
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-dashboard-'))
  let stack: Awaited<ReturnType<typeof startStackProcess>> | undefined
  let browser: Browser | undefined
  try {
    // The stack seeds an empty database: never let it write demo data into one we measure.
    if (!(await isSeeded(db)))
      throw new Error(
        'The dashboard bench needs the seeded dataset; the local stack would seed this database',
      )
    const [{ now } = { now: new Date() }] = await db.query<{ now: Date }>('select now()')
    // LOG_LEVEL=warn: one line per request would only fill the child's output.
    stack = await startStackProcess({ DATABASE_URL: databaseUrl, DATA_DIR: dataDir, LOG_LEVEL: 'warn' })
    const migrations = /(\d+) migrations applied now/.exec(stack.output())?.[1]
    log(
      `Dashboard: local stack at ${stack.url} (started in ${(stack.startupMs / 1000).toFixed(1)} s` +
        `${migrations && migrations !== '0' ? `, applied ${migrations} pending migrations` : ''})`,
    )
    if (!(await jobsFinished(db, now))) log("  the stack's start-up jobs were still running after 2 minutes")
    const anonKey = /anon key\s+(\S+)/.exec(stack.output())?.[1] ?? ''
    const target: BrowserStack = { url: stack.url, anonKey, stack }

    browser = await launchChromium()
    const first = await openPage(browser)
    const org = await signIn(first.page, target, email)
    const session = await first.context.storageState()
    await first.context.close()

    const overviewUrl = `${stack.url}/#/orgs/${org}/overview`
    const samples: DashboardRun[] = []
    for (let run = 0; run <= runs; run++) {
      const measured = await loadOverview(browser, session, overviewUrl)
      const jsGzip = gzipOfPaths(build, measured.scripts)
      if (run === 0) continue // warm-up
      samples.push({ kpiMs: measured.kpiMs, chartsMs: measured.chartsMs, jsGzipBytes: jsGzip })
      log(
        `  overview load ${run}/${runs}: KPI numbers ${Math.round(measured.kpiMs)} ms, charts ${Math.round(measured.chartsMs)} ms` +
          `${measured.errors.length ? `; page errors: ${measured.errors.join(' | ')}` : ''}`,
      )
    }
    return {
      email,
      runs: samples,
      kpi: spread(samples.map((s) => s.kpiMs)),
      charts: spread(samples.map((s) => s.chartsMs)),
      overviewJsGzipBytes: samples[0]?.jsGzipBytes ?? Number.NaN,
      viewport: '1280 × 860',
      load: 'cold: a new browser context per run (empty HTTP cache), session from one sign-in, one discarded warm-up load',
    }
  } finally {
    await browser?.close()
    if (stack) await stopStackProcess(stack.child)
    await db.close()
    await rm(dataDir, { recursive: true, force: true })
  }
}

// A string, not a function: tsx compiles functions with helpers (__name) that the page does not have.
// It marks the first frame in which all four KPI cards hold their numbers (the skeleton has no .kpi-value).
const kpiShownScript = `
  new MutationObserver((_, observer) => {
    const values = Array.from(document.querySelectorAll('.kpi-grid .kpi-value'))
    if (values.length !== 4 || values.some((v) => (v.textContent || '').trim() === '')) return
    observer.disconnect()
    requestAnimationFrame(() => performance.mark(${JSON.stringify(kpiShownMark)}))
  }).observe(document, { childList: true, subtree: true, characterData: true })
`

type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>

/** One cold load of the overview: new context, the session, navigation, both marks. */
async function loadOverview(browser: Browser, session: StorageState, url: string) {
  const { context, page, errors } = await openPage(browser)
  try {
    await context.setStorageState(session)
    await page.addInitScript({ content: kpiShownScript })
    await page.goto(url)
    await page
      .waitForFunction(
        (marks) => marks.every((m) => performance.getEntriesByName(m).length > 0),
        [kpiShownMark, chartsDrawnMark],
        { timeout: 60_000, polling: 100 },
      )
      .catch(async (error: unknown) => {
        const state = await page.evaluate(() => ({
          marks: performance.getEntriesByType('mark').map((m) => m.name),
          heading: document.querySelector('h1')?.textContent,
        }))
        throw new Error(
          `The overview did not finish loading at ${page.url()} (marks: ${state.marks.join(', ') || 'none'}, ` +
            `heading: ${state.heading ?? 'none'}, page errors: ${errors.join(' | ') || 'none'}): ${error}`,
        )
      })
    const measured = await page.evaluate(
      ([kpi, charts]) => ({
        kpiMs: performance.getEntriesByName(kpi)[0]?.startTime ?? Number.NaN,
        chartsMs: performance.getEntriesByName(charts)[0]?.startTime ?? Number.NaN,
        // Every script this load fetched: the entry, its static imports, the overview's lazy chunks.
        scripts: performance
          .getEntriesByType('resource')
          .map((e) => new URL(e.name).pathname)
          .filter((p) => p.endsWith('.js')),
      }),
      [kpiShownMark, chartsDrawnMark] as const,
    )
    return { ...measured, errors }
  } finally {
    await context.close()
  }
}

/** The gzip bytes of the build's files at these paths (each once), as a CDN would send them. */
function gzipOfPaths(build: WebBuild, pathnames: string[]): number {
  const paths = new Set(pathnames.map((p) => p.replace(/^\//, '')))
  return build.assets.filter((a) => paths.has(a.path)).reduce((sum, a) => sum + a.gzipBytes, 0)
}

/** Waits (up to two minutes) for the jobs the stack started at boot, so they do not share the CPU with the loads. */
async function jobsFinished(db: ReturnType<typeof createPostgresDatabase>, since: Date): Promise<boolean> {
  const until = performance.now() + 120_000
  while (performance.now() < until) {
    const [row] = await db.query<{ running: number; nightly: number }>(
      `select count(*) filter (where status = 'running')::int as running,
              count(*) filter (where job = 'metrics-nightly')::int as nightly
       from public.job_runs where started_at >= $1`,
      [since],
    )
    if (row && row.running === 0 && row.nightly > 0) return true
    await new Promise((r) => setTimeout(r, 250))
  }
  return false
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`
