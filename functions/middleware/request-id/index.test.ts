import { Hono } from 'hono'
import { beforeEach, describe, expect, it } from 'vitest'
import { createTestApp, tokenFor } from '../../../tests/support/api.ts'
import type { AppEnv } from '../../context.ts'
import type { Database } from '../../db/database.ts'
import { requestId } from './index.ts'

/** None of these requests reach the database. */
const noDatabase = {} as Database

describe('requestId middleware', () => {
  let app: Hono<AppEnv>

  beforeEach(() => {
    app = new Hono<AppEnv>()
    app.use('*', requestId())
    app.get('/whoami', (c) => c.text(c.var.requestId))
  })

  it('should generate an id when the request has none and echo it as X-Request-Id', async () => {
    const res = await app.request('/whoami')
    const id = res.headers.get('X-Request-Id')
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    expect(await res.text()).toBe(id)
  })

  it('should give two requests two different ids', async () => {
    const a = (await app.request('/whoami')).headers.get('X-Request-Id')
    const b = (await app.request('/whoami')).headers.get('X-Request-Id')
    expect(a).not.toBe(b)
  })

  it('should keep a caller’s short, plain id', async () => {
    const res = await app.request('/whoami', { headers: { 'X-Request-Id': 'edge-7f3a_9=' } })
    expect(res.headers.get('X-Request-Id')).toBe('edge-7f3a_9=')
    expect(await res.text()).toBe('edge-7f3a_9=')
  })

  it('should keep an id of exactly 64 characters', async () => {
    const id = 'a'.repeat(64)
    const res = await app.request('/whoami', { headers: { 'X-Request-Id': id } })
    expect(res.headers.get('X-Request-Id')).toBe(id)
  })

  it.each([
    ['spaces', 'my request id'],
    ['a tab', 'abc\tdef'],
    ['JSON characters', '{"level":"error"}'],
    ['more than 64 characters', 'a'.repeat(65)],
  ])('should replace an id with %s', async (_, id) => {
    const res = await app.request('/whoami', { headers: { 'X-Request-Id': id } })
    const echoed = res.headers.get('X-Request-Id')
    expect(echoed).not.toBe(id)
    expect(echoed).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('should replace an id with a line break, should a runtime ever pass one through', async () => {
    // fetch's Headers refuse CR/LF outright and Node's HTTP parser rejects them,
    // so fake a request whose header getter returns one (log injection attempt).
    const request = new Request('http://localhost/whoami')
    const headers = new Headers(request.headers)
    Object.defineProperty(request, 'headers', {
      value: {
        get: (name: string) =>
          name.toLowerCase() === 'x-request-id' ? 'abc\n{"level":"error"}' : headers.get(name),
        has: (name: string) => name.toLowerCase() === 'x-request-id' || headers.has(name),
      },
    })
    const res = await app.request(request)
    expect(res.headers.get('X-Request-Id')).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('should put the request id in problem bodies', async () => {
    const { app } = createTestApp(noDatabase)
    const res = await app.request('/api/customers/00000000-0000-0000-0000-000000000000', {
      headers: { 'X-Request-Id': 'support-ticket-42' },
    })
    expect(res.status).toBe(401)
    expect(res.headers.get('Content-Type')).toBe('application/problem+json')
    expect(await res.json()).toMatchObject({ code: 'unauthorized', request_id: 'support-ticket-42' })
    expect(res.headers.get('X-Request-Id')).toBe('support-ticket-42')
  })

  it('should put a generated id in a 404 problem body too', async () => {
    const { app } = createTestApp(noDatabase)
    const token = await tokenFor('00000000-0000-4000-8000-000000000001')
    const res = await app.request('/api/no-such-route', { headers: { Authorization: `Bearer ${token}` } })
    expect(res.status).toBe(404)
    const body = await res.json()
    expect(body.code).toBe('not_found')
    expect(body.request_id).toMatch(/^[0-9a-f-]{36}$/)
    expect(body.request_id).toBe(res.headers.get('X-Request-Id'))
  })
})
