import { expect } from 'vitest'

/** What both drivers (PGlite's DatabaseError, postgres.js's PostgresError) report of a server error. */
export interface DbError {
  code: string
  message: string
}

/** The SQLSTATE and message of a server error; anything else (a bug in the test) is rethrown. */
export function dbErrorOf(error: unknown): DbError {
  const e = error as { code?: unknown; message?: unknown }
  if (typeof e?.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && typeof e.message === 'string') {
    return { code: e.code, message: e.message }
  }
  throw error
}

/** Asserts that `action` fails with exactly this SQLSTATE and message. */
export async function expectDbError(action: Promise<unknown>, expected: DbError): Promise<void> {
  let outcome: DbError | { resolved: unknown }
  try {
    outcome = { resolved: await action }
  } catch (error) {
    outcome = dbErrorOf(error)
  }
  expect(outcome).toEqual(expected)
}

/** The error RLS raises when a written row fails a policy's `with check`. */
export const rlsViolation = (table: string): DbError => ({
  code: '42501',
  message: `new row violates row-level security policy for table "${table}"`,
})

/** The error Postgres raises when the role lacks the table (or column) privilege. */
export const permissionDenied = (table: string): DbError => ({
  code: '42501',
  message: `permission denied for table ${table}`,
})
