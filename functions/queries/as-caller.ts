import type { Context } from 'hono'
import type { AppEnv } from '../context.ts'
import type { Transaction } from '../db/database.ts'
import { withUser } from '../db/with-user.ts'
import { isRetryable } from '../problems/postgres-errors.ts'

/**
 * The one way a handler reaches the database: a single transaction as the
 * signed-in caller, under RLS. A serialization failure or deadlock is retried
 * once (the whole transaction, so nothing is half-applied); a second one
 * surfaces as 503 through the error handler.
 */
export async function asCaller<T>(c: Context<AppEnv>, fn: (tx: Transaction) => Promise<T>): Promise<T> {
  const { db } = c.var.deps
  // Postgres keeps 63 bytes of it: the id (36) fits after the name.
  const applicationName = `sales-api ${c.var.requestId}`.slice(0, 63)
  try {
    return await withUser(db, c.var.claims, fn, applicationName)
  } catch (error) {
    if (!isRetryable(error)) throw error
    return withUser(db, c.var.claims, fn, applicationName)
  }
}
