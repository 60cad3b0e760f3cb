import { DatabaseBusyError } from '../db/connection-gate.ts'
import { type ApiProblem, problems } from './problem.ts'

/** The fields postgres.js and PGlite both put on a server error. */
interface PostgresErrorLike {
  code: string
  message: string
  constraint?: string
  constraint_name?: string
}

export function isPostgresError(error: unknown): error is PostgresErrorLike {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    /^[0-9A-Z]{5}$/.test((error as { code: string }).code)
  )
}

/** Serialization failures and deadlocks: the transaction may simply be run again. */
export function isRetryable(error: unknown): boolean {
  return isPostgresError(error) && (error.code === '40001' || error.code === '40P01')
}

/**
 * Maps what Postgres refused to what the client did wrong (SQLSTATE classes,
 * PostgreSQL appendix A). Returns undefined for our own faults (they are 500s).
 * Messages name the constraint, never the SQL.
 */
export function problemFromPostgres(error: unknown): ApiProblem | undefined {
  // Our connection gate: no connection in time, or the database unreachable (functions/db/connection-gate.ts).
  if (error instanceof DatabaseBusyError)
    return problems.unavailable('The database is busy or unreachable; retry the request.')
  if (isConnectionLost(error))
    return problems.unavailable('The database connection was lost; retry the request.')
  if (!isPostgresError(error)) return undefined
  const constraint = error.constraint ?? error.constraint_name
  switch (error.code) {
    case '42501': // insufficient_privilege: RLS with-check, revoked column, our guards
      return problems.forbidden(guardMessage(error.message))
    case '23505':
      return problems.conflict(`That value is already taken${constraint ? ` (${constraint})` : ''}.`)
    case '23503':
      return problems.unprocessable(
        'invalid_reference',
        `A referenced record does not exist or is not yours to use${constraint ? ` (${constraint})` : ''}.`,
      )
    case '23514':
      return problems.unprocessable(
        'constraint_violation',
        constraint === 'memberships_last_owner'
          ? 'An organization must keep at least one owner.'
          : `A value breaks the rule ${constraint ?? 'of this record'}.`,
      )
    case '23502':
      return problems.unprocessable('missing_value', 'A required value is missing.')
    case '22001':
      return problems.unprocessable('value_too_long', 'A value is too long.')
    case '22P02':
    case '22021': // a NUL or invalid byte in text
    case '22P05': // a character jsonb cannot store (\u0000)
    case '22023': // e.g. an unknown time zone inside a timestamp
    case '22007':
    case '22008':
    case '22003':
      return problems.badRequest('A value has the wrong format.')
    case '40001':
    case '40P01':
      return problems.unavailable('The database was busy with a conflicting change; retry the request.')
    case '57014': // query_canceled: statement_timeout (the role's, see queries/as-caller.ts)
      return problems.unavailable('The database took too long to answer; retry the request.')
    case '57P01': // admin_shutdown: the connection was terminated (pg_terminate_backend, a restart)
    case '57P02': // crash_shutdown
    case '57P03': // cannot_connect_now: starting up or shutting down
    case '53300': // too_many_connections
    case '08000':
    case '08003':
    case '08006': // connection_exception, connection_does_not_exist, connection_failure
      return problems.unavailable('The database connection was lost; retry the request.')
    default:
      return undefined
  }
}

/**
 * postgres.js's own codes when a connection closes or cannot be made (no
 * SQLSTATE: the server never answered). The transaction did not commit as far
 * as we know: a 503 the client may retry (with its Idempotency-Key).
 */
const connectionErrorCodes = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
])

export function isConnectionLost(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    connectionErrorCodes.has(String((error as { code?: unknown }).code))
  )
}

/** Our own guard triggers raise readable messages; Postgres's RLS message names internals. */
function guardMessage(message: string): string {
  if (message.startsWith('new row violates row-level security policy'))
    return 'Your role does not allow this change.'
  if (message.startsWith('permission denied')) return 'Your role does not allow changing this.'
  return `${message.charAt(0).toUpperCase()}${message.slice(1)}.`
}
