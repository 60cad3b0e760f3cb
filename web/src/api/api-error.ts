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
 */
export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly problem: Problem | undefined

  constructor(status: number, code: string, message: string, problem?: Problem) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.problem = problem
  }

  static network(cause: unknown): ApiError {
    const error = new ApiError(0, 'network', 'The server could not be reached.')
    error.cause = cause
    return error
  }
}

export const isApiError = (error: unknown): error is ApiError => error instanceof ApiError
