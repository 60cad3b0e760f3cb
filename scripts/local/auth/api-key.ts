import type { MiddlewareHandler } from 'hono'

/**
 * The API gateway in front of Supabase Auth (Kong's key-auth plugin in
 * `supabase start`): every request carries the anon or service-role key in
 * the `apikey` header or query parameter, or is refused with Kong's 401.
 */
export function requireApiKey(keys: readonly string[]): MiddlewareHandler {
  return async function requireApiKey(c, next) {
    const key = c.req.header('apikey') ?? c.req.query('apikey')
    if (!key) {
      c.header('WWW-Authenticate', 'Key realm="kong"')
      return c.json({ message: 'No API key found in request' }, 401)
    }
    if (!keys.includes(key)) return c.json({ message: 'Invalid authentication credentials' }, 401)
    return next()
  }
}
