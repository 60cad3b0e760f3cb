import { describe, expect, it } from 'vitest'
import { createHttpMetrics } from './registry.ts'
import { samples } from './samples.ts'

describe('createHttpMetrics', () => {
  it('should put each observation in its bucket and render the buckets cumulatively', () => {
    const metrics = createHttpMetrics([0.01, 0.1, 1])
    for (const seconds of [0.002, 0.01, 0.05, 0.5, 3]) {
      metrics.observe({ method: 'GET', route: '/api/customers/:id', status: 200, seconds })
    }
    const s = samples(metrics.render())
    const labels = 'method="GET",route="/api/customers/:id",status="2xx"'
    expect(s.get(`http_request_duration_seconds_bucket{${labels},le="0.01"}`)).toBe(2)
    expect(s.get(`http_request_duration_seconds_bucket{${labels},le="0.1"}`)).toBe(3)
    expect(s.get(`http_request_duration_seconds_bucket{${labels},le="1"}`)).toBe(4)
    expect(s.get(`http_request_duration_seconds_bucket{${labels},le="+Inf"}`)).toBe(5)
    expect(s.get(`http_request_duration_seconds_count{${labels}}`)).toBe(5)
    expect(s.get(`http_request_duration_seconds_sum{${labels}}`)).toBeCloseTo(3.562, 9)
    expect(s.get(`http_requests_total{${labels}}`)).toBe(5)
  })

  it('should count by status class and fold unknown methods into OTHER', () => {
    const metrics = createHttpMetrics()
    metrics.observe({ method: 'GET', route: '/api/health', status: 200, seconds: 0.001 })
    metrics.observe({ method: 'GET', route: '/api/health', status: 204, seconds: 0.001 })
    metrics.observe({ method: 'GET', route: '/api/health', status: 503, seconds: 0.001 })
    metrics.observe({ method: 'BREW', route: '/api/*', status: 404, seconds: 0.001 })
    metrics.observe({ method: 'PURGE', route: '/api/*', status: 404, seconds: 0.001 })
    const s = samples(metrics.render())
    expect(s.get('http_requests_total{method="GET",route="/api/health",status="2xx"}')).toBe(2)
    expect(s.get('http_requests_total{method="GET",route="/api/health",status="5xx"}')).toBe(1)
    expect(s.get('http_requests_total{method="OTHER",route="/api/*",status="4xx"}')).toBe(2)
    expect([...s.keys()].some((key) => key.includes('BREW') || key.includes('PURGE'))).toBe(false)
    // One series for both: no sample line twice.
    const lines = metrics
      .render()
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
    expect(new Set(lines.map((line) => line.slice(0, line.lastIndexOf(' ')))).size).toBe(lines.length)
  })

  it('should escape backslashes, quotes and line feeds in label values', () => {
    const metrics = createHttpMetrics()
    metrics.observe({ method: 'GET', route: 'a\\b"c\nd', status: 200, seconds: 0 })
    expect(metrics.render()).toContain(
      'http_requests_total{method="GET",route="a\\\\b\\"c\\nd",status="2xx"} 1\n',
    )
  })

  it('should follow the text format: HELP and TYPE before each family, a line feed at the end', () => {
    const metrics = createHttpMetrics()
    metrics.observe({ method: 'POST', route: '/api/x', status: 201, seconds: 0.2 })
    const text = metrics.render()
    expect(text.endsWith('\n')).toBe(true)
    const types = text.split('\n').filter((line) => line.startsWith('# TYPE'))
    expect(types).toEqual([
      '# TYPE http_requests_total counter',
      '# TYPE http_request_duration_seconds histogram',
      '# TYPE http_requests_in_flight gauge',
    ])
    // Every sample line: a name, optional labels, one space, a number.
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) {
      expect(line).toMatch(/^[a-z_]+(\{[^}]*\})? -?[0-9.e+-]+$/)
    }
  })

  it('should count requests in flight until each one ends, once', () => {
    const metrics = createHttpMetrics()
    const first = metrics.started()
    const second = metrics.started()
    expect(samples(metrics.render()).get('http_requests_in_flight')).toBe(2)
    first()
    first()
    expect(samples(metrics.render()).get('http_requests_in_flight')).toBe(1)
    second()
    expect(samples(metrics.render()).get('http_requests_in_flight')).toBe(0)
  })
})
