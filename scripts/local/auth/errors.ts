import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

/** GoTrue's header: a client sending 2024-01-01 or later gets errors as `{ code, message }`. */
export const apiVersionHeader = 'X-Supabase-Api-Version'
const apiVersion20240101 = '2024-01-01'

/**
 * An error as GoTrue answers it (internal/api/apierrors): an HTTP status, a
 * stable error code (what supabase-js exposes as `error.code`) and a message.
 */
export class AuthError extends Error {
  override name = 'AuthError'
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    /** Fields GoTrue adds to this error's body in either shape (e.g. `weak_password`). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message)
  }
}

export const badRequest = (code: string, message: string) => new AuthError(400, code, message)
export const forbidden = (code: string, message: string) => new AuthError(403, code, message)
export const unprocessable = (code: string, message: string) => new AuthError(422, code, message)

/** GoTrue's own message for every kind of failed sign-in it does not want to tell apart. */
export const invalidCredentials = () => badRequest('invalid_credentials', 'Invalid login credentials')

/**
 * GoTrue's HandleResponseError: with the 2024-01-01 API version (supabase-js
 * always sends it) the body is `{ code, message }` and the version is echoed;
 * without it, the original `{ code: <status>, error_code, msg }`.
 */
export function authErrorResponse(c: Context, error: AuthError): Response {
  // GoTrue sets it on every error it answers (handleResponseErrorHTTP), in both shapes.
  c.header('x-sb-error-code', error.code)
  if (requestsApiVersion20240101(c.req.header(apiVersionHeader))) {
    c.header(apiVersionHeader, apiVersion20240101)
    return c.json({ code: error.code, message: error.message, ...error.extra }, error.status)
  }
  return c.json(
    { code: error.status, error_code: error.code, msg: error.message, ...error.extra },
    error.status,
  )
}

/** GoTrue's DetermineClosestAPIVersion: a date (YYYY-MM-DD) on or after 2024-01-01; anything else is the initial version. */
function requestsApiVersion20240101(value: string | undefined): boolean {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false
  const date = new Date(`${value}T00:00:00Z`)
  return (
    !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value && value >= apiVersion20240101
  )
}

/** What GoTrue answers for an error it did not expect; the cause goes to the log, not the client. */
export const unexpectedFailure = () =>
  new AuthError(
    500,
    'unexpected_failure',
    'Unexpected failure, please check server logs for more information',
  )
