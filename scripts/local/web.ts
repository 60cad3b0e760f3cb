import { Hono } from 'hono'
import { assetEtag, type WebBuild } from '../web/build.ts'

export interface WebRuntimeConfig {
  /** The API's URL: absolute, or a path on the origin the page was loaded from (e.g. /api). */
  apiUrl: string
  /** Auth, Realtime and Storage: absolute, or a path on the page's origin (/ for this stack). */
  supabaseUrl: string
  supabaseAnonKey: string
}

/**
 * Serves the built dashboard from memory at `/`, as a CDN would serve
 * web/dist: hashed assets cached for a year, index.html always revalidated,
 * and config.json answered for this stack (on a CDN the operator writes it).
 * A Content-Security-Policy limits scripts to this origin.
 *
 * URLs in config.json may be relative: the dashboard resolves them against
 * the page, so a stack serving everything on one origin works from whatever
 * address it is opened at (localhost, 127.0.0.1, a LAN name, a proxy), with
 * no cross-origin request at all.
 */
export function createWebApp(
  build: WebBuild,
  config: WebRuntimeConfig,
  /** Other origins the page talks to: the URLs the API hands out (signed Storage URLs name SUPABASE_URL). */
  { alsoConnectTo = [] as string[] } = {},
): Hono {
  const app = new Hono()
  const files = new Map(build.assets.map((a) => [`/${a.path}`, { ...a, etag: assetEtag(a.body) }]))
  const absolute = [config.apiUrl, config.supabaseUrl].filter((url) => URL.canParse(url))
  const configuredSources = [
    ...[...absolute, ...alsoConnectTo].map(origin),
    ...(URL.canParse(config.supabaseUrl) ? [websocketOrigin(config.supabaseUrl)] : []),
  ]
  /** Realtime on the page's own origin is a WebSocket to it: listed by host, whatever the host is. */
  const pageSources = (pageUrl: string) =>
    URL.canParse(config.supabaseUrl)
      ? []
      : [`ws://${new URL(pageUrl).host}`, `wss://${new URL(pageUrl).host}`]
  const csp = (pageUrl: string) =>
    [
      `default-src 'self'`,
      `script-src 'self'`,
      `style-src 'self'`,
      `img-src 'self' data: blob:`,
      `connect-src ${[...new Set([`'self'`, ...configuredSources, ...pageSources(pageUrl)])].join(' ')}`,
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
      c.header('Content-Security-Policy', csp(c.req.url))
      c.header('Referrer-Policy', 'same-origin')
    }
    return c.body(file.body as Uint8Array<ArrayBuffer>)
  })
  return app
}

const origin = (url: string) => new URL(url).origin
const websocketOrigin = (url: string) => origin(url).replace(/^http/, 'ws')
