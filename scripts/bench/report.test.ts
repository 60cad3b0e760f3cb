// The pure parts of npm run bench: statistics, ratios, target checks, tables
// (the dashboard's too), plan reading. No database, no timing assertions.
import { describe, expect, it } from 'vitest'
import { analysePlan } from './explain.ts'
import {
  apiTable,
  checkTargets,
  type DashboardTiming,
  dashboardSection,
  dashboardSizeTable,
  dashboardTimingTable,
  type EndpointResults,
  generatedBegin,
  generatedEnd,
  ratiosOf,
  spliceGenerated,
  spread,
} from './report.ts'
import { percentile, type RunResult, ratio, summarise } from './stats.ts'

const run = (rps: number, p99: number, errors = 0): RunResult => ({
  rps,
  p50: p99 / 2,
  p99,
  errors,
  total: rps * 10 + errors,
  seconds: 10,
})

const endpoint = (over: Partial<EndpointResults> = {}): EndpointResults => ({
  name: 'customers list',
  kind: 'read',
  route: 'GET /orgs/{orgId}/customers',
  api: run(1000, 20),
  sqlSuperuser: run(1500, 10),
  sqlSuperuserTx: run(1200, 12),
  sqlAuthenticated: run(1100, 14),
  load: [1, 1],
  ...over,
})

describe('statistics', () => {
  it('takes the nearest-rank percentile', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1)
    expect(percentile(sorted, 50)).toBe(50)
    expect(percentile(sorted, 99)).toBe(99)
    expect(percentile([7], 99)).toBe(7)
    expect(percentile([], 50)).toBeNaN()
  })

  it('summarises successful latencies over the run time', () => {
    const r = summarise([3, 1, 2, 4], 1, 2)
    expect(r).toMatchObject({ rps: 2, p50: 2, p99: 4, errors: 1, total: 5 })
  })

  it('has no ratio over zero or a missing value', () => {
    expect(ratio(1, 2)).toBe(0.5)
    expect(ratio(1, 0)).toBeNaN()
    expect(ratio(undefined, 2)).toBeNaN()
  })
})

describe('ratios and targets', () => {
  it('compares the API with the superuser and RLS with the superuser in the same transaction shape', () => {
    const q = ratiosOf(endpoint())
    expect(q.throughput).toBeCloseTo(1000 / 1500)
    expect(q.p99).toBe(2)
    expect(q.rlsCost).toBeCloseTo(1200 / 1100 - 1)
  })

  it('meets every target when all are within bounds', () => {
    const checks = checkTargets([endpoint(), endpoint({ name: 'create', kind: 'write', api: run(800, 45) })])
    expect(checks.every((c) => c.met)).toBe(true)
  })

  it('names the endpoints that miss a target', () => {
    const checks = checkTargets([
      endpoint({ api: run(500, 30, 2) }),
      endpoint({ name: 'phase change', kind: 'write', api: run(100, 60), sqlAuthenticated: run(600, 30) }),
    ])
    expect(checks.filter((c) => !c.met)).toHaveLength(5)
    expect(checks.map((c) => c.detail)).toEqual([
      'over: customers list 30 ms',
      'over: phase change 60 ms',
      'with errors: customers list 2',
      'below: customers list 33%, phase change 7%',
      'over: phase change +100%',
    ])
  })

  it('does not count a run without responses as fast', () => {
    const [reads] = checkTargets([endpoint({ api: { ...run(0, 0), p50: Number.NaN, p99: Number.NaN } })])
    expect(reads?.met).toBe(false)
  })
})

describe('tables', () => {
  it('prints one Markdown row per endpoint', () => {
    const lines = apiTable([endpoint(), endpoint({ name: 'slow', api: run(12_345.6, 31.4) })]).split('\n')
    expect(lines[0]).toBe('| endpoint | req/s | p50 ms | p99 ms | errors | p99 target | met |')
    expect(lines[2]).toBe('| customers list | 1,000 | 10 | 20 | 0 | < 25 ms | yes |')
    expect(lines[3]).toBe('| slow | 12,346 | 16 | 31 | 0 | < 25 ms | **no** |')
  })

  it('replaces only the generated part of the document', () => {
    const first = spliceGenerated(undefined, 'figures 1', '# Title\n')
    expect(first).toBe(`# Title\n\n${generatedBegin}\nfigures 1\n${generatedEnd}\n`)
    const edited = `${first.replace('# Title\n', '# Title\n\nWritten by hand.\n')}\nAfter.\n`
    const second = spliceGenerated(edited, 'figures 2', 'unused')
    expect(second).toContain('Written by hand.')
    expect(second).toContain('After.')
    expect(second).toContain('figures 2')
    expect(second).not.toContain('figures 1')
  })
})

describe('the dashboard', () => {
  const firstScreen = {
    htmlGzipBytes: 362,
    cssGzipBytes: 5618,
    stylesheets: 1,
    jsGzipBytes: 70_640,
    scripts: 5,
    totalGzipBytes: 76_620,
    lazyGzipBytes: 101_722,
    lazyChunks: 14,
  }
  const timing = (kpi: number[], charts: number[]): DashboardTiming => ({
    email: 'rep@acme.example',
    runs: kpi.map((kpiMs, i) => ({ kpiMs, chartsMs: charts[i] as number, jsGzipBytes: 145_726 })),
    kpi: spread(kpi),
    charts: spread(charts),
    overviewJsGzipBytes: 145_726,
    viewport: '1280 × 860',
    load: 'cold',
  })

  it('takes the median, min and max of the runs, in any order', () => {
    expect(spread([30, 10, 20])).toEqual({ median: 20, min: 10, max: 30 })
    expect(spread([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4 })
    expect(spread([])).toEqual({ median: Number.NaN, min: Number.NaN, max: Number.NaN })
  })

  it('prints what the first screen downloads, gzipped, in kB', () => {
    const lines = dashboardSizeTable(firstScreen, 145_726).split('\n')
    expect(lines[0]).toBe('| dashboard download | gzip |')
    expect(lines.slice(2)).toEqual([
      '| index.html | 0.4 kB |',
      '| CSS (1 stylesheet) | 5.5 kB |',
      '| JavaScript (entry and 4 static imports) | 69.0 kB |',
      '| **first screen, total** | **74.8 kB** |',
      '| loaded when needed (14 chunks: charts, screens) | 99.3 kB |',
      '| JavaScript an overview load fetched (with its chunks and chart.js) | 142.3 kB |',
    ])
  })

  it('prints the median, min and max time to the numbers and the charts', () => {
    const lines = dashboardTimingTable(timing([900.4, 1332, 934], [1763, 2472, 1800])).split('\n')
    expect(lines[0]).toBe('| from navigation start (3 runs) | median ms | min ms | max ms |')
    expect(lines[2]).toBe('| KPI numbers shown | 934 | 900 | 1332 |')
    expect(lines[3]).toBe('| charts drawn (`overview-charts-drawn`) | 1800 | 1763 | 2472 |')
  })

  it('says why there are no times when Chromium did not run', () => {
    const section = dashboardSection({ firstScreen, skipped: 'no Chromium at /usr/bin/chromium' })
    expect(section).toContain('| **first screen, total** | **74.8 kB** |')
    expect(section).toContain('Page-load times not measured: no Chromium at /usr/bin/chromium.')
    expect(section).not.toContain('median ms')
    expect(section).not.toContain('overview load fetched')
  })
})

describe('plans', () => {
  const plan = `Limit  (cost=1.0..2.0 rows=1 width=8) (actual time=0.1..0.2 rows=1 loops=1)
  ->  Seq Scan on public.customers c  (cost=0.0..1.0 rows=1 width=8) (actual time=0.1..0.2 rows=1 loops=1)
        Filter: ((hashed SubPlan 1) AND private.can_write_customer(c.org_id, c.owner_id))
        SubPlan 1
          ->  ProjectSet  (cost=0.00..5.27 rows=1000 width=16) (actual time=0.2..0.2 rows=1 loops=1)
                Output: private.member_org_ids()
  SubPlan 2
    ->  Aggregate  (cost=1..2 rows=1 width=32) (actual time=0.04..0.04 rows=1 loops=51)
  InitPlan 3 (returns $3)
    ->  Result  (cost=0.00..0.01 rows=1 width=16) (actual time=0.01..0.01 rows=1 loops=1)
          Output: auth.uid()
Execution Time: 0.512 ms`

  it('flags sequential scans of large tables and helpers evaluated per row', () => {
    expect(analysePlan(plan)).toEqual({
      seqScans: [
        'Seq Scan on public.customers c  (cost=0.0..1.0 rows=1 width=8) (actual time=0.1..0.2 rows=1 loops=1)',
      ],
      initPlans: 1,
      hashedSubPlans: 1,
      correlatedSubPlans: 1,
      helpersOnce: ['private.member_org_ids'],
      helpersPerRow: ['private.can_write_customer'],
      executionMs: 0.512,
    })
  })
})
