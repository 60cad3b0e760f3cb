// Pure: ratios, target checks and the Markdown the bench prints and writes.

import type { FirstScreenSizes } from '../web/build.ts'
import type { ExplainedStatement } from './explain.ts'
import { type RunResult, ratio } from './stats.ts'

export interface EndpointResults {
  name: string
  kind: 'read' | 'write'
  route: string
  api: RunResult
  sqlSuperuser: RunResult
  sqlSuperuserTx: RunResult
  sqlAuthenticated: RunResult
  /** os.loadavg()[0] when the endpoint's runs started and ended. */
  load: [number, number]
}

/** Issue 10's targets. */
export const targets = {
  readP99Ms: 25,
  writeP99Ms: 50,
  /** API throughput / raw SQL throughput, at least. */
  minApiShare: 0.5,
  /** Extra time per statement under RLS, at most. */
  maxRlsCost: 0.2,
} as const

export interface Ratios {
  /** API req/s over the superuser SQL baseline's. */
  throughput: number
  /** API p99 over the superuser SQL baseline's. */
  p99: number
  /**
   * What RLS costs: superuser-in-transaction throughput over authenticated
   * throughput, minus one (same transaction shape, same statements, the
   * explicit WHERE in place of the policies). 0.2 = 20% more time per request.
   */
  rlsCost: number
}

export function ratiosOf(r: EndpointResults): Ratios {
  return {
    throughput: ratio(r.api.rps, r.sqlSuperuser.rps),
    p99: ratio(r.api.p99, r.sqlSuperuser.p99),
    rlsCost: ratio(r.sqlSuperuserTx.rps, r.sqlAuthenticated.rps) - 1,
  }
}

export interface TargetCheck {
  target: string
  met: boolean
  detail: string
}

const p99Target = (r: EndpointResults) => (r.kind === 'read' ? targets.readP99Ms : targets.writeP99Ms)

export function checkTargets(results: EndpointResults[]): TargetCheck[] {
  const list = (rs: EndpointResults[], f: (r: EndpointResults) => string) => rs.map(f).join(', ') || 'none'
  const slowReads = results.filter((r) => r.kind === 'read' && !(r.api.p99 < targets.readP99Ms))
  const slowWrites = results.filter((r) => r.kind === 'write' && !(r.api.p99 < targets.writeP99Ms))
  const withErrors = results.filter((r) => r.api.errors > 0)
  const lowShare = results.filter((r) => !(ratiosOf(r).throughput >= targets.minApiShare))
  const costlyRls = results.filter((r) => !(ratiosOf(r).rlsCost <= targets.maxRlsCost))
  return [
    {
      target: `p99 < ${targets.readP99Ms} ms for every read endpoint (50 connections)`,
      met: slowReads.length === 0,
      detail: `over: ${list(slowReads, (r) => `${r.name} ${ms(r.api.p99)} ms`)}`,
    },
    {
      target: `p99 < ${targets.writeP99Ms} ms for writes (50 connections)`,
      met: slowWrites.length === 0,
      detail: `over: ${list(slowWrites, (r) => `${r.name} ${ms(r.api.p99)} ms`)}`,
    },
    {
      target: 'zero errors',
      met: withErrors.length === 0,
      detail: `with errors: ${list(withErrors, (r) => `${r.name} ${r.api.errors}`)}`,
    },
    {
      target: `API throughput ≥ ${targets.minApiShare * 100}% of the raw SQL baseline's`,
      met: lowShare.length === 0,
      detail: `below: ${list(lowShare, (r) => `${r.name} ${percent(ratiosOf(r).throughput)}`)}`,
    },
    {
      target: `RLS costs ≤ ${targets.maxRlsCost * 100}% over the superuser with an equivalent WHERE`,
      met: costlyRls.length === 0,
      detail: `over: ${list(costlyRls, (r) => `${r.name} +${percent(ratiosOf(r).rlsCost)}`)}`,
    },
  ]
}

export const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en') : '–')
export const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(n < 10 ? 1 : 0) : '–')
export const times = (n: number) => (Number.isFinite(n) ? `${n.toFixed(2)}×` : '–')
export const percent = (n: number) => (Number.isFinite(n) ? `${Math.round(n * 100)}%` : '–')

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}

/** The API as a client sees it, against its p99 target. */
export function apiTable(results: EndpointResults[]): string {
  return table(
    ['endpoint', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'p99 target', 'met'],
    results.map((r) => [
      r.name,
      int(r.api.rps),
      ms(r.api.p50),
      ms(r.api.p99),
      int(r.api.errors),
      `< ${p99Target(r)} ms`,
      r.api.p99 < p99Target(r) && r.api.errors === 0 ? 'yes' : '**no**',
    ]),
  )
}

/** The same statements without HTTP, and the ratios. */
export function baselineTable(results: EndpointResults[]): string {
  return table(
    [
      'endpoint',
      'SQL superuser req/s',
      'p50 / p99 ms',
      'superuser in tx req/s',
      'authenticated req/s',
      'p50 / p99 ms',
      'API / SQL req/s',
      'API / SQL p99',
      'RLS cost',
      'SQL errors',
    ],
    results.map((r) => {
      const q = ratiosOf(r)
      return [
        r.name,
        int(r.sqlSuperuser.rps),
        `${ms(r.sqlSuperuser.p50)} / ${ms(r.sqlSuperuser.p99)}`,
        int(r.sqlSuperuserTx.rps),
        int(r.sqlAuthenticated.rps),
        `${ms(r.sqlAuthenticated.p50)} / ${ms(r.sqlAuthenticated.p99)}`,
        times(q.throughput),
        times(q.p99),
        Number.isFinite(q.rlsCost) ? `${q.rlsCost >= 0 ? '+' : ''}${percent(q.rlsCost)}` : '–',
        int(r.sqlSuperuser.errors + r.sqlSuperuserTx.errors + r.sqlAuthenticated.errors),
      ]
    }),
  )
}

export function targetsTable(checks: TargetCheck[]): string {
  return table(
    ['target', 'met', 'detail'],
    checks.map((c) => [c.target, c.met ? 'yes' : '**no**', c.met ? '' : c.detail]),
  )
}

export function explainTable(explained: ExplainedStatement[]): string {
  return table(
    [
      'endpoint',
      'stmt',
      'exec ms',
      'seq scan on a large table',
      'InitPlans',
      'hashed SubPlans',
      'correlated SubPlans',
      'private.* once per statement',
      'private.* per row',
    ],
    explained.map((e) => [
      e.endpoint,
      String(e.statement),
      e.findings.executionMs === undefined ? '–' : e.findings.executionMs.toFixed(2),
      e.findings.seqScans.length ? `**${e.findings.seqScans.join('; ')}**` : 'none',
      String(e.findings.initPlans),
      String(e.findings.hashedSubPlans),
      String(e.findings.correlatedSubPlans),
      e.findings.helpersOnce.join(', ') || '–',
      e.findings.helpersPerRow.length ? `**${e.findings.helpersPerRow.join(', ')}**` : '–',
    ]),
  )
}

/** The middle value (the mean of the two middle ones for an even count), the least and the greatest. */
export interface Spread {
  median: number
  min: number
  max: number
}

export function spread(samples: readonly number[]): Spread {
  const sorted = [...samples].sort((a, b) => a - b)
  const n = sorted.length
  if (n === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN }
  const middle = Math.floor(n / 2)
  const median =
    n % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
  return { median, min: sorted[0] as number, max: sorted[n - 1] as number }
}

/** One cold load of the overview, from navigation start. */
export interface DashboardRun {
  /** All four KPI numbers in the page (the frame that paints them). */
  kpiMs: number
  /** The overview-charts-drawn mark. */
  chartsMs: number
  /** Every script the load fetched, gzipped as a CDN sends them. */
  jsGzipBytes: number
}

export interface DashboardTiming {
  email: string
  runs: DashboardRun[]
  kpi: Spread
  charts: Spread
  /** The first run's scripts (the entry, its static imports, the overview's chunks and chart.js), gzip. */
  overviewJsGzipBytes: number
  viewport: string
  /** How each run loaded the page, in words. */
  load: string
}

/** The dashboard's figures (scripts/bench/dashboard.ts measures them). */
export interface DashboardResults {
  /** From the build: what any first visit downloads (index.html, the stylesheet, the entry and its static imports). */
  firstScreen: FirstScreenSizes
  /** Measured in Chromium; absent when it could not run, with the reason in `skipped`. */
  timing?: DashboardTiming
  skipped?: string
}

export const kB = (bytes: number) => (Number.isFinite(bytes) ? `${(bytes / 1024).toFixed(1)} kB` : '–')

/** What the dashboard's first visit downloads, gzipped, and what it fetches later. */
export function dashboardSizeTable(sizes: FirstScreenSizes, overviewJsGzipBytes?: number): string {
  const rows = [
    ['index.html', kB(sizes.htmlGzipBytes)],
    [`CSS (${sizes.stylesheets} stylesheet${sizes.stylesheets === 1 ? '' : 's'})`, kB(sizes.cssGzipBytes)],
    [
      `JavaScript (entry and ${sizes.scripts - 1} static import${sizes.scripts === 2 ? '' : 's'})`,
      kB(sizes.jsGzipBytes),
    ],
    ['**first screen, total**', `**${kB(sizes.totalGzipBytes)}**`],
    [`loaded when needed (${sizes.lazyChunks} chunks: charts, screens)`, kB(sizes.lazyGzipBytes)],
  ]
  if (overviewJsGzipBytes !== undefined)
    rows.push(['JavaScript an overview load fetched (with its chunks and chart.js)', kB(overviewJsGzipBytes)])
  return table(['dashboard download', 'gzip'], rows)
}

/** Navigation start to the overview's numbers and charts, over the runs. */
export function dashboardTimingTable(timing: DashboardTiming): string {
  const row = (what: string, s: Spread) => [what, ms(s.median), ms(s.min), ms(s.max)]
  return table(
    [`from navigation start (${timing.runs.length} runs)`, 'median ms', 'min ms', 'max ms'],
    [row('KPI numbers shown', timing.kpi), row('charts drawn (`overview-charts-drawn`)', timing.charts)],
  )
}

/** The dashboard's part of the report: sizes always, times when Chromium ran. */
export function dashboardSection(dashboard: DashboardResults): string {
  const { firstScreen, timing } = dashboard
  const about = timing
    ? `Headless Chromium, ${timing.viewport}, signed in as ${timing.email}, against the local stack (\`npm start\`) on this database; ${timing.load}.`
    : `Page-load times not measured: ${dashboard.skipped ?? 'skipped'}.`
  return [
    dashboardSizeTable(firstScreen, timing?.overviewJsGzipBytes),
    about,
    ...(timing ? [dashboardTimingTable(timing)] : []),
  ].join('\n\n')
}

export interface RunInfo {
  date: string
  command: string
  cpus: string
  cores: number
  postgres: string
  seconds: number
  connections: number
  pool: number
  dataset: string
  who: string
  loadBefore: number[]
  loadAfter: number[]
  resultsPath: string
}

/** The generated part of docs/performance.md. */
export function generatedSection(
  info: RunInfo,
  results: EndpointResults[],
  explained: ExplainedStatement[],
  dashboard?: DashboardResults,
): string {
  const loads = results.map((r) => `${r.name} ${r.load[0].toFixed(1)}→${r.load[1].toFixed(1)}`).join('; ')
  return `## Latest run

- Date: ${info.date}; command: \`${info.command}\`
- Machine: ${info.cores} cores (${info.cpus}); ${info.postgres}
- Load average (1 min) before / after: ${info.loadBefore.map((n) => n.toFixed(2)).join(', ')} / ${info.loadAfter.map((n) => n.toFixed(2)).join(', ')}; per endpoint (start→end): ${loads}
- Dataset: ${info.dataset}
- Caller: ${info.who}
- Each run: ${info.connections} connections (HTTP) or concurrent loops (SQL), ${info.seconds} s, pool of ${info.pool} Postgres connections (API and SQL alike)
- Full results (JSON) and plans: \`${info.resultsPath}\`

### API (autocannon in a second process → Node API → Postgres)

${apiTable(results)}

### Baselines (postgres.js, no HTTP) and ratios

${baselineTable(results)}

### Targets

${targetsTable(checkTargets(results))}

### EXPLAIN (ANALYZE, BUFFERS, VERBOSE) as \`authenticated\` with the rep's claims

${explainTable(explained)}
${dashboard ? `\n### Dashboard\n\n${dashboardSection(dashboard)}\n` : ''}`
}

export const generatedBegin = '<!-- bench:begin (written by npm run bench; edit outside these markers) -->'
export const generatedEnd = '<!-- bench:end -->'

/** Replaces the generated part of a document, keeping what people wrote around it. */
export function spliceGenerated(document: string | undefined, generated: string, fallback: string): string {
  const block = `${generatedBegin}\n${generated.trimEnd()}\n${generatedEnd}`
  const source = document ?? fallback
  const start = source.indexOf(generatedBegin)
  const end = source.indexOf(generatedEnd)
  if (start < 0 || end < start) return `${source.trimEnd()}\n\n${block}\n`
  return `${source.slice(0, start)}${block}${source.slice(end + generatedEnd.length)}`
}
