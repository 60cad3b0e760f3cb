import type { Context } from 'hono'
import type { StoredResponse } from './idempotency.ts'

/**
 * What a create answers, in the shape `idempotent` (idempotency.ts) stores to
 * replay it: 201, the new representation, where it lives (`Location`, RFC
 * 9110 §10.2.2) and its version (`ETag`, so a client can send If-Match at once).
 */
export function createdResponse(body: unknown, place: { location?: string; etag?: string } = {}) {
  const headers: Record<string, string> = {}
  if (place.location !== undefined) headers.Location = place.location
  if (place.etag !== undefined) headers.ETag = place.etag
  return { status: 201, body, headers } satisfies StoredResponse
}

/**
 * Sends a create's 201, first run or replay: its stored headers, and
 * `Idempotent-Replayed: true` when `idempotent` replayed it. `T` is the type
 * `body` was built with: a replayed body is the same JSON read back from
 * `idempotency_keys`, so the route's type still holds for it.
 */
export function sendCreated<T>(c: Context, result: StoredResponse & { replayed?: boolean }) {
  for (const [name, value] of Object.entries(result.headers ?? {})) c.header(name, value)
  if (result.replayed) c.header('Idempotent-Replayed', 'true')
  return c.json(result.body as T, 201)
}
