import { beforeAll, describe, expect, it } from 'vitest'
import { buildWeb, type WebBuild } from '../web/build.ts'
import { createWebApp } from './web.ts'

describe('the local stack serving the dashboard', () => {
  let build: WebBuild
  let app: ReturnType<typeof createWebApp>
  const config = {
    apiUrl: 'http://localhost:8787/api',
    supabaseUrl: 'http://localhost:8787',
    supabaseAnonKey: 'anon-key',
  }
  beforeAll(async () => {
    build = await buildWeb()
    app = createWebApp(build, config)
  })

  it('should answer index.html at / with a strict CSP that allows the API, Auth and Realtime origins only', async () => {
    const res = await app.request('/')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/html')
    expect(res.headers.get('cache-control')).toBe('no-cache')
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toContain(`script-src 'self'`)
    expect(csp).toContain(`connect-src 'self' http://localhost:8787 ws://localhost:8787`)
    expect(csp).toContain(`frame-ancestors 'none'`)
  })

  it('should cache hashed assets for a year and revalidate with ETag', async () => {
    const script = build.assets.find((a) => /^assets\/main-.*\.js$/.test(a.path))
    const res = await app.request(`/${script?.path}`)
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    const again = await app.request(`/${script?.path}`, {
      headers: { 'If-None-Match': res.headers.get('etag') ?? '' },
    })
    expect(again.status).toBe(304)
  })

  it('should answer this stack’s config.json uncached and 404 for anything it did not build', async () => {
    const res = await app.request('/config.json')
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(await res.json()).toEqual(config)
    expect((await app.request('/assets/nope.js')).status).toBe(404)
    expect((await app.request('/../package.json')).status).toBe(404)
  })

  it('should serve relative URLs as given, and let the page’s own host open WebSockets, whatever address it was opened at', async () => {
    const relative = createWebApp(build, { apiUrl: '/api', supabaseUrl: '/', supabaseAnonKey: 'anon-key' })
    expect(await (await relative.request('http://127.0.0.1:8787/config.json')).json()).toEqual({
      apiUrl: '/api',
      supabaseUrl: '/',
      supabaseAnonKey: 'anon-key',
    })
    for (const host of ['127.0.0.1:8787', 'sales.lan:3000']) {
      const csp = (await relative.request(`http://${host}/`)).headers.get('content-security-policy') ?? ''
      expect(csp).toContain(`connect-src 'self' ws://${host} wss://${host};`)
    }
  })
})
