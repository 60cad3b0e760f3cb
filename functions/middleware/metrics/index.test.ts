import { Hono } from 'hono'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { testJwtSecret, tokenFor } from '../../../tests/support/api.ts'
import { createFixture, type Fixture } from '../../../tests/support/fixtures.ts'
import { createTestDatabase, type TestDatabase } from '../../../tests/support/test-database.ts'
import { createApp } from '../../app.ts'
import { parseApiConfig } from '../../config.ts'
import { createHttpMetrics, type HttpMetrics, metricsEndpoint } from './index.ts'
import { expositionContentType } from './registry.ts'
import { samples } from './samples.ts'

describe('httpMetrics middleware', () => {
  let t: TestDatabase
  let f: Fixture
  let metrics: HttpMetrics
  let app: ReturnType<typeof createApp>
  const config = parseApiConfig({ SUPABASE_JWT_SECRET: testJwtSecret })

  beforeAll(async () => {
    t = await createTestDatabase()
    f = await createFixture(t.db)
  })
  afterAll(() => t.close())
  beforeEach(() => {
    // Two buckets around any real request: 1 µs (none is that fast) and 60 s (all are faster).
    metrics = createHttpMetrics([0.000_001, 60])
    app = createApp({ db: t.db, config, log: () => {} }, { metrics })
  })

  async function get(path: string, token?: string) {
    const res = await app.request(path, { headers: token ? { Authorization: `Bearer ${token}` } : {} })
    await res.arrayBuffer()
    return res.status
  }

  it('should count requests per route template and status class, as they were answered', async () => {
    const rep = await tokenFor(f.users.rep.id)
    const outsider = await tokenFor(f.users.outsider.id)
    const statuses = [
      await get(`/api/customers/${f.customers.repOwned}`, rep),
      await get(`/api/customers/${f.customers.rep2Owned}`, rep),
      await get(`/api/customers/${f.customers.repOwned}`, outsider),
      await get(`/api/customers/${f.customers.repOwned}`),
      await get('/api/health'),
    ]
    expect(statuses).toEqual([200, 200, 404, 401, 200])

    const s = samples(metrics.render())
    const customer = 'method="GET",route="/api/customers/:id"'
    expect(s.get(`http_requests_total{${customer},status="2xx"}`)).toBe(2)
    expect(s.get(`http_requests_total{${customer},status="4xx"}`)).toBe(2)
    expect(s.get('http_requests_total{method="GET",route="/api/health",status="2xx"}')).toBe(1)
    const total = [...s]
      .filter(([key]) => key.startsWith('http_requests_total'))
      .reduce((n, [, v]) => n + v, 0)
    expect(total).toBe(statuses.length)
  })

  it('should label by template, never by the ids in the path', async () => {
    const token = await tokenFor(f.users.rep.id)
    await get(`/api/customers/${f.customers.repOwned}`, token)
    await get(`/api/customers/${f.customers.rep2Owned}/contacts`, token)
    await get(`/api/nothing-here/${f.customers.orgB}`, token)
    const text = metrics.render()
    for (const id of [f.customers.repOwned, f.customers.rep2Owned, f.customers.orgB, f.orgA]) {
      expect(text).not.toContain(id)
    }
    const routes = new Set([...text.matchAll(/route="([^"]*)"/g)].map((m) => m[1]))
    expect([...routes].sort()).toEqual(['/api/*', '/api/customers/:id', '/api/customers/:id/contacts'].sort())
  })

  it('should fill the histogram: each request in the bucket its duration falls in, sum and count', async () => {
    const token = await tokenFor(f.users.viewer.id)
    for (let i = 0; i < 3; i++) expect(await get(`/api/orgs/${f.orgA}/customers`, token)).toBe(200)
    const s = samples(metrics.render())
    const labels = 'method="GET",route="/api/orgs/:orgId/customers",status="2xx"'
    expect(s.get(`http_request_duration_seconds_bucket{${labels},le="0.000001"}`)).toBe(0)
    expect(s.get(`http_request_duration_seconds_bucket{${labels},le="60"}`)).toBe(3)
    expect(s.get(`http_request_duration_seconds_bucket{${labels},le="+Inf"}`)).toBe(3)
    expect(s.get(`http_request_duration_seconds_count{${labels}}`)).toBe(3)
    // Three database round trips at least; far from a minute.
    expect(s.get(`http_request_duration_seconds_sum{${labels}}`)).toBeGreaterThan(0)
    expect(s.get(`http_request_duration_seconds_sum{${labels}}`)).toBeLessThan(60)
    expect(s.get('http_requests_in_flight')).toBe(0)
  })

  it('should count nothing when the app is built without it', async () => {
    const plain = createApp({ db: t.db, config, log: () => {} })
    await (await plain.request('/api/health')).arrayBuffer()
    expect(samples(metrics.render()).size).toBe(1) // the in-flight gauge alone
  })
})

describe('metricsEndpoint', () => {
  const metrics = createHttpMetrics()
  metrics.observe({ method: 'GET', route: '/api/health', status: 200, seconds: 0.001 })
  const token = 'a-metrics-token-of-32-characters'
  const scrape = (app: Hono, authorization?: string) =>
    app.request('/metrics', { headers: authorization ? { Authorization: authorization } : {} })

  it('should serve the exposition as text/plain version 0.0.4', async () => {
    const app = new Hono().get('/metrics', metricsEndpoint(metrics))
    const res = await scrape(app)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe(expositionContentType)
    expect(await res.text()).toBe(metrics.render())
  })

  it('should refuse a scrape without the token, or with another one, when METRICS_TOKEN is set', async () => {
    const app = new Hono().get('/metrics', metricsEndpoint(metrics, { token }))
    for (const authorization of [
      undefined,
      `Bearer ${token.slice(0, -1)}`,
      `Bearer ${token}x`,
      token,
      'Basic abc',
    ]) {
      const res = await scrape(app, authorization)
      expect(res.status, String(authorization)).toBe(401)
      expect(res.headers.get('content-type')).toBe('application/problem+json')
      expect(await res.text()).not.toContain('http_requests_total')
    }
    const ok = await scrape(app, `Bearer ${token}`)
    expect(ok.status).toBe(200)
    expect(
      samples(await ok.text()).get('http_requests_total{method="GET",route="/api/health",status="2xx"}'),
    ).toBe(1)
  })
})
