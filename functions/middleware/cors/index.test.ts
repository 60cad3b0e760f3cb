import { Hono } from 'hono'
import { beforeEach, describe, expect, it } from 'vitest'
import { createTestApp } from '../../../tests/support/api.ts'
import type { AppEnv } from '../../context.ts'
import type { Database } from '../../db/database.ts'
import { cors } from './index.ts'

/** None of these requests reach the database. */
const noDatabase = {} as Database
const dashboard = 'http://localhost:8787'

describe('cors middleware', () => {
  let app: Hono<AppEnv>

  beforeEach(() => {
    app = new Hono<AppEnv>()
    app.use('*', cors([dashboard, 'https://sales.example.com']))
    app.get('/customers', (c) => {
      c.header('ETag', '"1"')
      return c.json([])
    })
  })

  it('should allow a listed origin and expose ETag and X-Request-Id', async () => {
    const res = await app.request('/customers', { headers: { Origin: 'https://sales.example.com' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('https://sales.example.com')
    const exposed = (res.headers.get('Access-Control-Expose-Headers') ?? '').split(',')
    expect(exposed).toEqual(expect.arrayContaining(['ETag', 'X-Request-Id', 'Location', 'Retry-After']))
    // One origin per response: caches must key on it (Fetch standard, CORS protocol and HTTP caches).
    expect(res.headers.get('Vary')).toContain('Origin')
  })

  it('should give a disallowed origin no Access-Control-Allow-Origin', async () => {
    const res = await app.request('/customers', { headers: { Origin: 'https://evil.example.com' } })
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull()
  })

  it('should not allow a look-alike of a listed origin', async () => {
    for (const origin of ['http://localhost:8787.evil.com', 'https://localhost:8787', 'http://localhost']) {
      const res = await app.request('/customers', { headers: { Origin: origin } })
      expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull()
    }
  })

  it('should allow any origin when the list holds *', async () => {
    const open = new Hono<AppEnv>()
    open.use('*', cors(['*']))
    open.get('/', (c) => c.text('ok'))
    const res = await open.request('/', { headers: { Origin: 'https://anyone.example.org' } })
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('https://anyone.example.org')
  })

  describe('in the app', () => {
    let api: ReturnType<typeof createTestApp>['app']

    beforeEach(() => {
      api = createTestApp(noDatabase).app
    })

    it('should answer a preflight from an allowed origin without a token', async () => {
      const res = await api.request('/api/customers/00000000-0000-4000-8000-000000000001', {
        method: 'OPTIONS',
        headers: {
          Origin: dashboard,
          'Access-Control-Request-Method': 'PATCH',
          'Access-Control-Request-Headers': 'authorization, content-type, if-match',
        },
      })
      expect(res.status).toBe(204)
      expect(res.headers.get('Access-Control-Allow-Origin')).toBe(dashboard)
      expect(res.headers.get('Access-Control-Allow-Methods')).toContain('PATCH')
      const allowed = (res.headers.get('Access-Control-Allow-Headers') ?? '').toLowerCase().split(',')
      expect(allowed).toEqual(
        expect.arrayContaining(['authorization', 'content-type', 'if-match', 'idempotency-key']),
      )
      expect(res.headers.get('Access-Control-Max-Age')).toBe('600')
      expect(res.headers.get('WWW-Authenticate')).toBeNull()
    })

    it('should let the dashboard send its own X-Request-Id, and read the one the API kept', async () => {
      const url = '/api/orgs/00000000-0000-4000-8000-000000000001/customers'
      const preflight = await api.request(url, {
        method: 'OPTIONS',
        headers: {
          Origin: dashboard,
          'Access-Control-Request-Method': 'GET',
          'Access-Control-Request-Headers': 'authorization, x-request-id',
        },
      })
      expect(preflight.status).toBe(204)
      const allowed = (preflight.headers.get('Access-Control-Allow-Headers') ?? '').toLowerCase().split(',')
      expect(allowed).toContain('x-request-id')

      const id = '3f6c1f8e-2b7a-4c1e-9a55-0d4c2f1b9e10'
      const res = await api.request(url, { headers: { Origin: dashboard, 'X-Request-Id': id } })
      expect(res.headers.get('X-Request-Id')).toBe(id)
      expect(res.headers.get('Access-Control-Allow-Origin')).toBe(dashboard)
      expect((res.headers.get('Access-Control-Expose-Headers') ?? '').split(',')).toContain('X-Request-Id')
    })

    it('should let the dashboard read a 401, so it can send the user to sign in', async () => {
      const res = await api.request('/api/customers/00000000-0000-4000-8000-000000000001', {
        headers: { Origin: dashboard },
      })
      expect(res.status).toBe(401)
      expect(res.headers.get('Access-Control-Allow-Origin')).toBe(dashboard)
      expect(res.headers.get('Access-Control-Expose-Headers')).toContain('X-Request-Id')
    })

    it('should give a preflight from a disallowed origin no Access-Control-Allow-Origin', async () => {
      const res = await api.request('/api/health', {
        method: 'OPTIONS',
        headers: { Origin: 'https://evil.example.com', 'Access-Control-Request-Method': 'GET' },
      })
      expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull()
    })

    it('should give a simple request from a disallowed origin no Access-Control-Allow-Origin', async () => {
      const res = await api.request('/api/health', { headers: { Origin: 'https://evil.example.com' } })
      expect(res.status).toBe(200)
      expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull()
    })
  })
})
