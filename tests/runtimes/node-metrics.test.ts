import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseApiConfig } from '../../functions/config.ts'
import { type ListeningServer, startApiServer } from '../../functions/entries/node.ts'
import { samples } from '../../functions/middleware/metrics/samples.ts'
import { testJwtSecret, tokenFor } from '../support/api.ts'
import { createFixture, type Fixture } from '../support/fixtures.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'

// GET /metrics is the Node entry's alone; this runs on PGlite and on a server.
describe('the Node entry’s /metrics over HTTP', () => {
  let t: TestDatabase
  let f: Fixture
  let server: ListeningServer
  const metricsToken = 'node-metrics-token-0123456789abcdef'
  const config = parseApiConfig({ SUPABASE_JWT_SECRET: testJwtSecret, METRICS_TOKEN: metricsToken })

  beforeAll(async () => {
    t = await createTestDatabase()
    f = await createFixture(t.db)
    server = await startApiServer({ db: t.db, config, port: 0, log: () => {} })
  })
  afterAll(async () => {
    await server?.close()
    await t?.close()
  })

  async function status(path: string, headers: Record<string, string> = {}) {
    const res = await fetch(`${server.url}${path}`, { headers })
    await res.arrayBuffer()
    return res.status
  }

  async function scrape() {
    const res = await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${metricsToken}` } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8')
    return samples(await res.text())
  }

  it('should count the requests it served, by route template and status class', async () => {
    const before = await scrape()
    const token = await tokenFor(f.users.viewer.id)
    const answered = await Promise.all([
      status(`/api/customers/${f.customers.repOwned}`, { Authorization: `Bearer ${token}` }),
      status(`/api/customers/${f.customers.rep2Owned}`, { Authorization: `Bearer ${token}` }),
      status(`/api/customers/${f.customers.orgB}`, { Authorization: `Bearer ${token}` }),
      status('/api/health/db'),
    ])
    expect(answered).toEqual([200, 200, 404, 200])
    const after = await scrape()
    const delta = (key: string) => (after.get(key) ?? 0) - (before.get(key) ?? 0)
    const customer = 'method="GET",route="/api/customers/:id"'
    expect(delta(`http_requests_total{${customer},status="2xx"}`)).toBe(2)
    expect(delta(`http_requests_total{${customer},status="4xx"}`)).toBe(1)
    expect(delta(`http_request_duration_seconds_count{${customer},status="2xx"}`)).toBe(2)
    expect(delta(`http_request_duration_seconds_bucket{${customer},status="2xx",le="+Inf"}`)).toBe(2)
    expect(delta('http_requests_total{method="GET",route="/api/health/db",status="2xx"}')).toBe(1)
    for (const key of after.keys()) expect(key).not.toContain(f.customers.repOwned)
  })

  it('should refuse /metrics without METRICS_TOKEN and keep it out of the API’s paths', async () => {
    expect(await status('/metrics')).toBe(401)
    expect(await status('/metrics', { Authorization: 'Bearer not-the-token' })).toBe(401)
    expect(await status('/api/metrics')).toBe(401) // an API path: the API wants a user's token
    expect(await status('/api/metrics', { Authorization: `Bearer ${metricsToken}` })).toBe(401)
  })

  it('should name its database sessions sales-api', async () => {
    const [row] = await t.db.query<{ name: string }>(`select current_setting('application_name') as name`)
    // PGlite has no client name to set.
    expect(row?.name).toBe(t.db.kind === 'postgres' ? 'sales-api' : '')
  })
})
