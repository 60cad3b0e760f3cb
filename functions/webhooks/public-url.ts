import type { Context } from 'hono'

/**
 * The request's URL as the client called it. Behind a proxy or CDN the scheme
 * and host it used arrive as X-Forwarded-Proto / X-Forwarded-Host: HubSpot
 * signs that URL, and the webhook URL we hand out must be that one too.
 */
export function publicUrlOf(c: Context): URL {
  const url = new URL(c.req.url)
  const proto = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim()
  const host = c.req.header('x-forwarded-host')?.split(',')[0]?.trim()
  if (proto === 'http' || proto === 'https') url.protocol = `${proto}:`
  if (host) url.host = host
  return url
}
