import type { Context } from 'hono'

/**
 * The one answer to a GET of a representation with an ETag: it sends the ETag
 * with `Cache-Control: private, no-cache` (a cache may keep it, for this user
 * only, and must ask again each time), and when `If-None-Match` already names
 * it answers 304 without a body (RFC 9110 §13.1.2, §15.4.5) instead of calling
 * `represent`. Declare the 304 on the route with `notModifiedResponse`
 * (openapi-common.ts).
 */
export function conditionalGet<R>(c: Context, etag: string, represent: () => R) {
  c.header('ETag', etag)
  c.header('Cache-Control', 'private, no-cache')
  if (noneMatch(c.req.header('If-None-Match'), etag)) return c.body(null, 304)
  return represent()
}

/**
 * Whether an `If-None-Match` list names `etag`: `*` names any; the comparison
 * is weak (RFC 9110 §8.8.3.2: `W/"1"` names `"1"`), as §13.1.2 asks for GET.
 */
export function noneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false
  if (header.trim() === '*') return true
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '')
  return header.split(',').some((tag) => opaque(tag) === opaque(etag))
}
