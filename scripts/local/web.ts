import { Hono } from 'hono'
import { assetEtag, type WebBuild } from '../web/build.ts'

export interface WebRuntimeConfig {
  apiUrl: string
  supabaseUrl: string
  supabaseAnonKey: string
}

/**
 * Serves the built dashboard from memory at `/`, as a CDN would serve
 * web/dist: hashed assets cached for a year, index.html always revalidated,
 * and config.json answered for this stack (on a CDN the operator writes it).
 * A Content-Security-Policy limits scripts to this origin.
 */
export function createWebApp(build: WebBuild, config: WebRuntimeConfig): Hono {
  const app = new Hono()
  const files = new Map(build.assets.map((a) => [`/${a.path}`, { ...a, etag: assetEtag(a.body) }]))
  const connectSources = [
    `'self'`,
    origin(config.apiUrl),
    origin(config.supabaseUrl),
    websocketOrigin(config.supabaseUrl),
  ]
  const csp = [
    `default-src 'self'`,
    `script-src 'self'`,
    `style-src 'self'`,
    `img-src 'self' data: blob:`,
    `connect-src ${[...new Set(connectSources)].join(' ')}`,
    `frame-ancestors 'none'`,
    `base-uri 'self'`,
    `form-action 'self'`,
  ].join('; ')

  app.get('/config.json', (c) => {
    c.header('Cache-Control', 'no-store')
    return c.json(config)
  })
  app.get('*', (c) => {
    const path = c.req.path === '/' ? '/index.html' : c.req.path
    const file = files.get(path)
    if (!file) return c.notFound()
    if (c.req.header('If-None-Match') === file.etag) return c.body(null, 304)
    c.header('Content-Type', file.contentType)
    c.header('ETag', file.etag)
    c.header('Cache-Control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
    c.header('X-Content-Type-Options', 'nosniff')
    if (path === '/index.html') {
      c.header('Content-Security-Policy', csp)
      c.header('Referrer-Policy', 'same-origin')
    }
    return c.body(file.body as Uint8Array<ArrayBuffer>)
  })
  return app
}

const origin = (url: string) => new URL(url).origin
const websocketOrigin = (url: string) => origin(url).replace(/^http/, 'ws')
