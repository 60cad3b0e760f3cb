import { describe, expect, it } from 'vitest'
import { parseSoakArgs } from './args.ts'
import { formatReport, judge, type Sample, type SoakFigures, summarizeSeries } from './verdict.ts'

const flatSamples = (n = 7): Sample[] =>
  Array.from({ length: n }, (_, i) => ({
    at_s: i * 10,
    rss_mb: 200 + (i % 2),
    heap_used_mb: 40 + (i % 3),
    connections: i === 0 ? 1 : 8,
  }))

/** A run that passes every check; each test breaks one thing. */
const passing = (): SoakFigures => ({
  operations: {
    list: { statuses: { '200': 100 }, unanswered: 0, p50_ms: 10, p99_ms: 50 },
    create: { statuses: { '201': 40 }, unanswered: 0, p50_ms: 20, p99_ms: 80 },
    'phase change': { statuses: { '200': 30, '412': 2 }, unanswered: 0, p50_ms: 15, p99_ms: 60 },
  },
  acknowledged_creates: 40,
  missing_creates: [],
  samples: flatSamples(),
  pool_max: 10,
  driver_errors: 0,
})

const check = (figures: SoakFigures, name: string) => judge(figures).checks.find((c) => c.name === name)

describe('judge', () => {
  it('should pass a run with only 2xx and concurrent 412s, nothing lost, flat memory and connections', () => {
    const verdict = judge(passing())
    expect(verdict.checks.filter((c) => !c.ok)).toEqual([])
    expect(verdict.ok).toBe(true)
  })

  it('should fail on any 5xx other than 503, and count 503s without failing', () => {
    const with500 = passing()
    with500.operations.create = { statuses: { '201': 39, '500': 1 }, unanswered: 0, p50_ms: 1, p99_ms: 1 }
    expect(judge(with500).ok).toBe(false)
    expect(check(with500, 'no 5xx (503 counted)')?.detail).toContain('1 × 5xx other than 503')

    const with503 = passing()
    with503.operations.create = { statuses: { '201': 38, '503': 2 }, unanswered: 0, p50_ms: 1, p99_ms: 1 }
    with503.acknowledged_creates = 38
    expect(judge(with503).ok).toBe(true)
    expect(check(with503, 'no 5xx (503 counted)')?.detail).toContain('2 × 503')
  })

  it('should fail when a request went unanswered', () => {
    const figures = passing()
    figures.operations.list = { statuses: { '200': 99 }, unanswered: 1, p50_ms: 1, p99_ms: 1 }
    expect(check(figures, 'requests answered')?.ok).toBe(false)
    expect(judge(figures).ok).toBe(false)
  })

  it('should fail on a 4xx the load does not expect (a 404 or 401 means the soak or the API is wrong)', () => {
    const figures = passing()
    figures.operations.detail = { statuses: { '200': 5, '404': 1 }, unanswered: 0, p50_ms: 1, p99_ms: 1 }
    expect(check(figures, 'only expected 4xx')).toMatchObject({ ok: false, detail: 'detail 404 × 1' })
  })

  it('should fail when an acknowledged create is missing, or when nothing was created at all', () => {
    const lost = passing()
    lost.missing_creates = ['6f1c0e2a-0000-4000-8000-000000000000']
    expect(check(lost, 'no lost writes')?.ok).toBe(false)
    const none = passing()
    none.acknowledged_creates = 0
    expect(check(none, 'no lost writes')?.ok).toBe(false)
  })

  it('should flag memory that keeps growing, and not a single spike', () => {
    const growing = passing()
    growing.samples = flatSamples(10).map((s, i) => ({ ...s, heap_used_mb: 40 + i * 10 }))
    expect(check(growing, 'memory flat')?.ok).toBe(false)

    const spike = passing()
    spike.samples = flatSamples(10).map((s, i) => ({ ...s, rss_mb: i === 9 ? 400 : s.rss_mb }))
    expect(check(spike, 'memory flat')?.ok).toBe(true)
    expect(judge(spike).series.find((s) => s.name === 'rss_mb')).toMatchObject({
      first: 200,
      last: 400,
      max: 400,
    })
  })

  it('should flag more connections than the pool holds, and not measure them on PGlite', () => {
    const leaking = passing()
    leaking.samples = flatSamples().map((s, i) => ({ ...s, connections: 4 + i * 2 }))
    expect(check(leaking, 'connections bounded')?.ok).toBe(false)

    const pglite = passing()
    pglite.pool_max = null
    pglite.samples = flatSamples().map((s) => ({ ...s, connections: null }))
    expect(check(pglite, 'connections bounded')).toMatchObject({ ok: true })
    expect(judge(pglite).series.map((s) => s.name)).toEqual(['rss_mb', 'heap_used_mb'])
  })

  it('should report driver errors the process survived', () => {
    const figures = passing()
    figures.driver_errors = 3
    expect(check(figures, 'driver errors survived')?.detail).toContain('3 × porsager/postgres#1208')
  })
})

describe('summarizeSeries', () => {
  it('should compare the last third with the first third after the warm-up sample', () => {
    // The first value (before the load) is left out: 100 → 110 is +10 %, not +1000 %.
    const s = summarizeSeries('rss', [10, 100, 100, 100, 110, 110, 110], 0.3)
    expect(s).toMatchObject({ first: 10, last: 110, max: 110, flagged: false })
    expect(s.growth).toBeCloseTo(0.1)
  })

  it('should use first and last of a short series', () => {
    expect(summarizeSeries('rss', [100, 200], 0.3)).toMatchObject({ growth: 1, flagged: true })
    expect(summarizeSeries('rss', [], 0.3)).toMatchObject({ growth: 0, flagged: false })
  })
})

describe('formatReport', () => {
  it('should print every operation and status, every resource, and every check', () => {
    const figures = passing()
    const text = formatReport(figures, judge(figures))
    expect(text).toMatch(/\| phase change \| 32 +\| 30 +\| 0 +\| 2 +\| 0 /)
    expect(text).toContain('| connections')
    expect(text.match(/^PASS/gm)).toHaveLength(6)
  })
})

describe('parseSoakArgs', () => {
  it('should default to ten minutes and take --seconds for a short run', () => {
    expect(parseSoakArgs([])).toMatchObject({ durationMs: 600_000, workers: 8, sampleMs: 10_000 })
    expect(parseSoakArgs(['--minutes', '2']).durationMs).toBe(120_000)
    expect(parseSoakArgs(['--seconds', '30', '--workers', '4']).durationMs).toBe(30_000)
  })

  it('should refuse both units at once, and nonsense', () => {
    expect(() => parseSoakArgs(['--minutes', '1', '--seconds', '5'])).toThrow(/not both/)
    expect(() => parseSoakArgs(['--minutes', 'ten'])).toThrow(/--minutes/)
    expect(() => parseSoakArgs(['--workers', '0'])).toThrow(/--workers/)
  })
})
