import { Hono } from 'hono'
import { beforeEach, describe, expect, it } from 'vitest'
import { createTestApp } from '../../../tests/support/api.ts'
import type { AppEnv } from '../../context.ts'
import type { Database } from '../../db/database.ts'
import { docsPageCsp } from '../../openapi/docs-page.ts'
import { securityHeaders } from './index.ts'

/** None of these requests reach the database. */
const noDatabase = {} as Database

describe('securityHeaders middleware', () => {
  let app: Hono<AppEnv>

  beforeEach(() => {
    app = new Hono<AppEnv>()
    app.use('*', securityHeaders())
    app.get('/customers', (c) => c.json([]))
    app.get('/public', (c) => {
      c.header('Cache-Control', 'public, max-age=60')
      return c.json({})
    })
    app.get('/page', (c) => {
      c.header('Content-Security-Policy', "default-src 'self'")
      return c.html('<p>hi</p>')
    })
  })

  it('should set the OWASP REST headers on a JSON response', async () => {
    const res = await app.request('/customers')
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff')
    expect(res.headers.get('X-Frame-Options')).toBe('DENY')
    expect(res.headers.get('Content-Security-Policy')).toBe("default-src 'none'; frame-ancestors 'none'")
    expect(res.headers.get('Referrer-Policy')).toBe('no-referrer')
    expect(res.headers.get('Strict-Transport-Security')).toBe('max-age=63072000; includeSubDomains')
    expect(res.headers.get('Cross-Origin-Resource-Policy')).toBe('same-site')
    expect(res.headers.get('X-Powered-By')).toBeNull()
  })

  it('should set Cache-Control: no-store when the route did not set one', async () => {
    expect((await app.request('/customers')).headers.get('Cache-Control')).toBe('no-store')
  })

  it('should keep a Cache-Control the route set', async () => {
    expect((await app.request('/public')).headers.get('Cache-Control')).toBe('public, max-age=60')
  })

  it('should keep a Content-Security-Policy the route set', async () => {
    const res = await app.request('/page')
    expect(res.headers.get('Content-Security-Policy')).toBe("default-src 'self'")
    expect(res.headers.get('X-Frame-Options')).toBe('DENY')
  })

  it('should set the headers on a 404 too', async () => {
    const res = await app.request('/nowhere')
    expect(res.status).toBe(404)
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff')
    expect(res.headers.get('Cache-Control')).toBe('no-store')
  })

  describe('in the app', () => {
    let api: ReturnType<typeof createTestApp>['app']

    beforeEach(() => {
      api = createTestApp(noDatabase).app
    })

    it('should send the locked-down headers on API responses and problems', async () => {
      for (const res of [await api.request('/api/health'), await api.request('/api/customers/x')]) {
        expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff')
        expect(res.headers.get('X-Frame-Options')).toBe('DENY')
        expect(res.headers.get('Content-Security-Policy')).toMatch(/^default-src 'none'/)
        expect(res.headers.get('Referrer-Policy')).toBe('no-referrer')
        expect(res.headers.get('Strict-Transport-Security')).toMatch(/^max-age=\d+/)
        expect(res.headers.get('Cache-Control')).toBe('no-store')
      }
    })

    it('should give the docs page its own CSP: its inline style, and still no script', async () => {
      const res = await api.request('/api/docs')
      expect(res.status).toBe(200)
      expect(res.headers.get('Content-Security-Policy')).toBe(docsPageCsp)
      expect(res.headers.get('Content-Security-Policy')).toContain(`style-src 'unsafe-inline'`)
      expect(res.headers.get('Content-Security-Policy')).not.toContain('script-src')
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff')
      expect(res.headers.get('X-Frame-Options')).toBe('DENY')
    })
  })
})
