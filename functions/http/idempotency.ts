import type { Context } from 'hono'
import type { AppEnv } from '../context.ts'
import type { Transaction } from '../db/database.ts'
import { ApiProblem, problems } from '../problems/problem.ts'
import {
  claimIdempotencyKey,
  storedIdempotencyKey,
  storeIdempotentResponse,
} from '../queries/idempotency-keys.ts'

export interface StoredResponse {
  status: number
  body: unknown
  headers?: Record<string, string>
}

const keyPattern = /^[A-Za-z0-9_.:-]{8,255}$/

/**
 * Runs a create once per `Idempotency-Key` (IETF draft-ietf-httpapi-idempotency-key-header):
 * the key row is inserted first, so a concurrent duplicate blocks on its primary
 * key until we commit, then finds our response and replays it. The response is
 * stored in the same transaction as the create: both happen or neither.
 * Without the header, `create` simply runs.
 */
export async function idempotent(
  c: Context<AppEnv>,
  tx: Transaction,
  create: () => Promise<StoredResponse>,
): Promise<StoredResponse & { replayed: boolean }> {
  const key = c.req.header('Idempotency-Key')
  if (key === undefined) return { ...(await create()), replayed: false }
  if (!keyPattern.test(key)) {
    throw problems.badRequest('Idempotency-Key must be 8–255 letters, digits or _ . : -', [
      { field: 'header.Idempotency-Key', message: 'has the wrong format' },
    ])
  }
  const path = new URL(c.req.url).pathname
  const requestHash = await sha256(`${c.req.method} ${path}\n${await c.req.text()}`)
  if (!(await claimIdempotencyKey(tx, { key, method: c.req.method, path, requestHash }))) {
    const previous = await storedIdempotencyKey<StoredResponse>(tx, key)
    if (!previous || previous.request_hash !== requestHash) {
      throw new ApiProblem(
        422,
        'idempotency_key_reused',
        'Idempotency-Key already used',
        'This key was used for a different request; use a new key for a new request.',
      )
    }
    if (previous.status === null) throw problems.conflict('The first request with this key is still running.')
    return { ...previous.response, replayed: true }
  }
  const response = await create()
  await storeIdempotentResponse(tx, key, response)
  return { ...response, replayed: false }
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('')
}
