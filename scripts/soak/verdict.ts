/**
 * What a soak run must show (issue 11): no 5xx but counted 503s, every
 * request answered, every acknowledged create stored, memory and database
 * connections flat. Pure: the run's figures in, checks out.
 */

/** One resource sample, taken every few seconds during the run. */
export interface Sample {
  at_s: number
  rss_mb: number
  heap_used_mb: number
  /** Backends connected to the soak's database (pg_stat_activity); null on PGlite. */
  connections: number | null
}

export interface OperationFigures {
  /** Answers by HTTP status, e.g. { "200": 812, "412": 3 }. */
  statuses: Record<string, number>
  /** Requests that got no answer: network errors and client-side timeouts. */
  unanswered: number
  p50_ms: number
  p99_ms: number
}

export interface SoakFigures {
  operations: Record<string, OperationFigures>
  acknowledged_creates: number
  /** Ids answered 201 that are not in the database afterwards. */
  missing_creates: string[]
  samples: Sample[]
  /** The API's pool size, the most connections it may hold (null on PGlite). */
  pool_max: number | null
  /** Uncaught porsager/postgres#1208 errors the process guard logged and survived. */
  driver_errors: number
}

export interface SeriesSummary {
  name: string
  first: number
  last: number
  max: number
  /** Relative change from the start of the run to its end (medians of the first and last thirds, after warm-up). */
  growth: number
  flagged: boolean
}

export interface Check {
  name: string
  ok: boolean
  detail: string
}

export interface Verdict {
  ok: boolean
  checks: Check[]
  series: SeriesSummary[]
}

export interface Thresholds {
  /** Memory may grow this much (0.3 = 30 %) from the start to the end of the run. */
  memoryGrowth: number
}

/** Statuses the load expects: success, and a 412 when two workers change the same customer at once. */
const expectedStatus = (status: number) => (status >= 200 && status < 300) || status === 304 || status === 412

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
}

/**
 * First, last and max of a series, and its growth: the median of the last
 * third against the median of the first third, leaving out the first sample
 * (taken before the load started) when there are enough, so one garbage
 * collection at either end does not decide it.
 */
export function summarizeSeries(name: string, values: number[], tolerance: number): SeriesSummary {
  if (values.length === 0) return { name, first: 0, last: 0, max: 0, growth: 0, flagged: false }
  const warm = values.length >= 4 ? values.slice(1) : values
  const third = Math.max(1, Math.floor(warm.length / 3))
  const start = median(warm.slice(0, third))
  const end = median(warm.slice(-third))
  const growth = start > 0 ? end / start - 1 : end > 0 ? Number.POSITIVE_INFINITY : 0
  return {
    name,
    first: values[0] ?? 0,
    last: values.at(-1) ?? 0,
    max: Math.max(...values),
    growth,
    flagged: growth > tolerance,
  }
}

export function judge(figures: SoakFigures, thresholds: Thresholds = { memoryGrowth: 0.3 }): Verdict {
  const operations = Object.entries(figures.operations)
  const countWhere = (match: (status: number) => boolean) =>
    operations.reduce(
      (sum, [, op]) =>
        sum + Object.entries(op.statuses).reduce((s, [status, n]) => s + (match(Number(status)) ? n : 0), 0),
      0,
    )
  const total = countWhere(() => true)
  const unavailable = countWhere((s) => s === 503)
  const otherServerErrors = countWhere((s) => s >= 500 && s !== 503)
  const unexpected = operations.flatMap(([name, op]) =>
    Object.entries(op.statuses)
      .filter(([status]) => !expectedStatus(Number(status)) && Number(status) < 500)
      .map(([status, n]) => `${name} ${status} × ${n}`),
  )
  const unanswered = operations.reduce((sum, [, op]) => sum + op.unanswered, 0)

  const rss = summarizeSeries(
    'rss_mb',
    figures.samples.map((s) => s.rss_mb),
    thresholds.memoryGrowth,
  )
  const heap = summarizeSeries(
    'heap_used_mb',
    figures.samples.map((s) => s.heap_used_mb),
    thresholds.memoryGrowth,
  )
  const connectionValues = figures.samples.flatMap((s) => (s.connections === null ? [] : [s.connections]))
  const connections =
    connectionValues.length > 0
      ? {
          ...summarizeSeries('connections', connectionValues, 0),
          flagged: figures.pool_max !== null && Math.max(...connectionValues) > figures.pool_max,
        }
      : undefined

  const checks: Check[] = [
    {
      name: 'requests answered',
      ok: total > 0 && unanswered === 0,
      detail: `${total} answered, ${unanswered} unanswered (network error or client timeout)`,
    },
    {
      name: 'no 5xx (503 counted)',
      ok: otherServerErrors === 0,
      detail: `${otherServerErrors} × 5xx other than 503; ${unavailable} × 503 with Retry-After (${percent(unavailable, total)})`,
    },
    {
      name: 'only expected 4xx',
      ok: unexpected.length === 0,
      detail: unexpected.length ? unexpected.join(', ') : '412 on concurrent If-Match only',
    },
    {
      name: 'no lost writes',
      ok: figures.acknowledged_creates > 0 && figures.missing_creates.length === 0,
      detail: `${figures.acknowledged_creates} creates acknowledged, ${figures.missing_creates.length} missing from the database`,
    },
    {
      name: 'memory flat',
      ok: !rss.flagged && !heap.flagged && figures.samples.length >= 2,
      detail: `RSS ${signed(rss.growth)}, heap ${signed(heap.growth)} (limit +${Math.round(thresholds.memoryGrowth * 100)} %), ${figures.samples.length} samples`,
    },
    connections
      ? {
          name: 'connections bounded',
          ok: !connections.flagged,
          detail: `first ${connections.first}, last ${connections.last}, max ${connections.max} (pool ${figures.pool_max})`,
        }
      : {
          name: 'connections bounded',
          ok: true,
          detail: 'not measured (PGlite is one connection in this process)',
        },
  ]
  if (figures.driver_errors > 0) {
    checks.push({
      name: 'driver errors survived',
      ok: true,
      detail: `${figures.driver_errors} × porsager/postgres#1208 logged; the process served on`,
    })
  }
  return {
    ok: checks.every((c) => c.ok),
    checks,
    series: connections ? [rss, heap, connections] : [rss, heap],
  }
}

const percent = (n: number, of: number) => (of ? `${((n / of) * 100).toFixed(2)} %` : '0 %')
const signed = (ratio: number) =>
  Number.isFinite(ratio) ? `${ratio >= 0 ? '+' : ''}${(ratio * 100).toFixed(1)} %` : '+∞'

/** The run as text: one table of operations, one of resources, then the checks. */
export function formatReport(figures: SoakFigures, verdict: Verdict): string {
  const statusColumns = [
    ...new Set(Object.values(figures.operations).flatMap((op) => Object.keys(op.statuses))),
  ].sort()
  const rows = Object.entries(figures.operations).map(([name, op]) => [
    name,
    String(Object.values(op.statuses).reduce((a, b) => a + b, 0)),
    ...statusColumns.map((s) => String(op.statuses[s] ?? 0)),
    String(op.unanswered),
    op.p50_ms.toFixed(1),
    op.p99_ms.toFixed(1),
  ])
  const lines = [
    table(['operation', 'requests', ...statusColumns, 'unanswered', 'p50 ms', 'p99 ms'], rows),
    '',
    table(
      ['resource', 'first', 'last', 'max', 'growth', 'flag'],
      verdict.series.map((s) => [
        s.name,
        s.first.toFixed(s.name === 'connections' ? 0 : 1),
        s.last.toFixed(s.name === 'connections' ? 0 : 1),
        s.max.toFixed(s.name === 'connections' ? 0 : 1),
        signed(s.growth),
        s.flagged ? 'GROWTH' : 'ok',
      ]),
    ),
    '',
    ...verdict.checks.map((c) => `${c.ok ? 'PASS' : 'FAIL'}  ${c.name}: ${c.detail}`),
  ]
  return lines.join('\n')
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n')
}
