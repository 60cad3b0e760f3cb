/** RFC 9457 problem details as the API sends them (functions/problems). */
export interface Problem {
  type?: string
  title?: string
  status: number
  detail?: string
  code: string
  request_id?: string
  errors?: { field: string; message: string }[]
}

/**
 * Any failed API call: a problem from the server, or `network` (status 0) when
 * no answer came. Screens turn it into plain words with `describeError`.
 * `requestId` is the call's `X-Request-Id`: the key to its lines in the API's
 * log and its connection's application_name (docs/observability.md).
 */
export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly problem: Problem | undefined
  readonly requestId: string | undefined

  constructor(status: number, code: string, message: string, problem?: Problem, requestId?: string) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.problem = problem
    this.requestId = requestId ?? problem?.request_id
  }

  static network(cause: unknown, requestId?: string): ApiError {
    const error = new ApiError(0, 'network', 'The server could not be reached.', undefined, requestId)
    error.cause = cause
    return error
  }
}

export const isApiError = (error: unknown): error is ApiError => error instanceof ApiError
