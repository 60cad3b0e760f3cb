import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, tokenFor } from '../../../tests/support/api.ts'
import { createFixture, type Fixture } from '../../../tests/support/fixtures.ts'
import { createTestDatabase, type TestDatabase } from '../../../tests/support/test-database.ts'

describe('requestLog middleware', () => {
  let t: TestDatabase
  let f: Fixture
  let app: ReturnType<typeof createTestApp>['app']
  let logs: Record<string, unknown>[]
  let token: string

  beforeAll(async () => {
    t = await createTestDatabase()
    f = await createFixture(t.db)
    ;({ app, logs } = createTestApp(t.db))
    token = await tokenFor(f.users.rep.id)
  })
  afterAll(() => t.close())

  const requestLines = () => logs.filter((line) => line.msg === 'request')

  async function send(path: string, init: RequestInit = {}) {
    logs.length = 0
    const res = await app.request(path, init)
    await res.arrayBuffer()
    return res
  }

  it('should write exactly one JSON line per request, with the route pattern instead of the id', async () => {
    const id = f.customers.repOwned
    const res = await send(`/api/customers/${id}`, { headers: { Authorization: `Bearer ${token}` } })
    expect(res.status).toBe(200)
    expect(logs).toHaveLength(1)
    const [line] = logs
    expect(line).toEqual({
      level: 'info',
      msg: 'request',
      method: 'GET',
      route: '/api/customers/:id',
      status: 200,
      duration_ms: expect.any(Number),
      request_id: res.headers.get('X-Request-Id'),
    })
    expect(line?.duration_ms).toBeGreaterThanOrEqual(0)
    expect(JSON.stringify(line)).not.toContain(id)
    expect(JSON.parse(JSON.stringify(line))).toEqual(line)
  })

  it('should never log the Authorization header or the token', async () => {
    const res = await send(`/api/orgs/${f.orgA}/customers?limit=1`, {
      headers: { Authorization: `Bearer ${token}`, 'X-Request-Id': 'log-token-check' },
    })
    expect(res.status).toBe(200)
    expect(requestLines()).toHaveLength(1)
    const serialized = JSON.stringify(logs)
    expect(serialized).toContain('log-token-check')
    expect(serialized).not.toContain(token)
    // Not even a piece of it: the signature alone would be a leak worth fixing.
    for (const part of token.split('.')) expect(serialized).not.toContain(part)
    expect(serialized.toLowerCase()).not.toContain('authorization')
    expect(serialized.toLowerCase()).not.toContain('bearer')
  })

  it('should not log a refused token either', async () => {
    const forged = await tokenFor(f.users.rep.id, { secret: 'another-secret-that-is-at-least-32-characters' })
    const res = await send(`/api/customers/${f.customers.repOwned}`, {
      headers: { Authorization: `Bearer ${forged}` },
    })
    expect(res.status).toBe(401)
    expect(logs).toHaveLength(1)
    expect(logs[0]).toMatchObject({ status: 401, route: '/api/customers/:id', level: 'info' })
    expect(JSON.stringify(logs)).not.toContain(forged.split('.')[2])
  })

  it('should log the status the client received for a problem response', async () => {
    const res = await send(`/api/orgs/${f.orgA}/customers`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: '{"name":',
    })
    expect(res.status).toBe(400)
    expect(logs).toEqual([
      expect.objectContaining({ method: 'POST', route: '/api/orgs/:orgId/customers', status: 400 }),
    ])
  })

  it('should log one line for a preflight and for an unknown route', async () => {
    await send('/api/customers/x', {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:8787', 'Access-Control-Request-Method': 'PATCH' },
    })
    expect(requestLines()).toEqual([expect.objectContaining({ method: 'OPTIONS', status: 204 })])
    await send('/api/nowhere', { headers: { Authorization: `Bearer ${token}` } })
    expect(requestLines()).toEqual([expect.objectContaining({ method: 'GET', status: 404 })])
  })
})
