import type { Queryable } from '../db/database.ts'
import { sql } from '../db/sql.ts'

/**
 * idempotency_keys: a create's key and, once it ran, its stored response
 * (http/idempotency.ts). Each row is the caller's own (user_id is stamped;
 * RLS shows no one else's).
 */

/** A create's stored outcome; `status` is null while the first request with the key is still running. */
export interface StoredKey<Response> {
  request_hash: string
  status: number | null
  response: Response
}

/**
 * Claims a key for this request; false when the caller used it before. A
 * concurrent duplicate blocks on the primary key until the first commits.
 */
export async function claimIdempotencyKey(
  tx: Queryable,
  { key, method, path, requestHash }: { key: string; method: string; path: string; requestHash: string },
): Promise<boolean> {
  const inserted = await tx.query(
    sql`insert into public.idempotency_keys (key, method, path, request_hash)
        values (${key}, ${method}, ${path}, ${requestHash}) on conflict (user_id, key) do nothing returning key`,
  )
  return inserted.length > 0
}

/** What the caller's earlier request with the key stored. */
export async function storedIdempotencyKey<Response>(
  tx: Queryable,
  key: string,
): Promise<StoredKey<Response> | undefined> {
  const [previous] = await tx.query<StoredKey<Response>>(
    sql`select request_hash, status, response from public.idempotency_keys where user_id = auth.uid() and key = ${key}`,
  )
  return previous
}

/** Stores the response of the create the key ran. */
export async function storeIdempotentResponse(
  tx: Queryable,
  key: string,
  response: { status: number },
): Promise<void> {
  await tx.query(
    sql`update public.idempotency_keys set status = ${response.status}, response = ${sql.json(response)}
        where user_id = auth.uid() and key = ${key}`,
  )
}
