import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

/** One failing field of a 400, as JSON Pointer-ish dotted path and a message. */
export interface FieldError {
  field: string
  message: string
}

/**
 * An RFC 9457 problem. `code` is stable and documented (docs/api.md); `title`
 * is for people and may change wording; `detail` explains this occurrence.
 */
export class ApiProblem extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
    readonly extra: { errors?: FieldError[]; headers?: Record<string, string> } = {},
  ) {
    super(detail ?? title)
    this.name = 'ApiProblem'
  }
}

export const problems = {
  badRequest: (detail: string, errors?: FieldError[]) =>
    new ApiProblem(400, 'validation_failed', 'The request is not valid', detail, errors ? { errors } : {}),
  malformedJson: () => new ApiProblem(400, 'malformed_json', 'The request body is not valid JSON'),
  unauthorized: (detail: string) =>
    new ApiProblem(401, 'unauthorized', 'Authentication required', detail, {
      headers: { 'WWW-Authenticate': `Bearer realm="api", error="invalid_token"` },
    }),
  forbidden: (detail = 'Your role does not allow this change.') =>
    new ApiProblem(403, 'forbidden', 'Not allowed', detail),
  notFound: (what = 'resource') => new ApiProblem(404, 'not_found', 'Not found', `No such ${what}.`),
  conflict: (detail: string) => new ApiProblem(409, 'conflict', 'Conflict', detail),
  preconditionFailed: () =>
    new ApiProblem(
      412,
      'precondition_failed',
      'The resource changed since you read it',
      'If-Match does not match the current ETag: fetch it again and reapply your change.',
    ),
  payloadTooLarge: (limit: number) =>
    new ApiProblem(413, 'payload_too_large', 'The request body is too large', `The limit is ${limit} bytes.`),
  unsupportedMediaType: () =>
    new ApiProblem(415, 'unsupported_media_type', 'Unsupported media type', 'Send application/json.'),
  unprocessable: (code: string, detail: string) =>
    new ApiProblem(422, code, 'The change breaks a rule', detail),
  unavailable: (detail: string) =>
    new ApiProblem(503, 'unavailable', 'Temporarily unavailable', detail, {
      headers: { 'Retry-After': '1' },
    }),
  internal: () =>
    new ApiProblem(
      500,
      'internal_error',
      'Internal error',
      'Something went wrong on our side; it has been logged.',
    ),
}

/** Renders a problem as `application/problem+json`, with the request id people quote to support. */
export function problemResponse(c: Context, problem: ApiProblem): Response {
  const body = {
    type: `urn:problem:${problem.code}`,
    title: problem.title,
    status: problem.status,
    ...(problem.detail ? { detail: problem.detail } : {}),
    code: problem.code,
    request_id: c.get('requestId') as string | undefined,
    instance: new URL(c.req.url).pathname,
    ...(problem.extra.errors ? { errors: problem.extra.errors } : {}),
  }
  // Through the context, not `new Response`, so headers a middleware already set
  // (X-Request-Id, CORS) stay on a problem that a middleware returns itself.
  return c.newResponse(JSON.stringify(body), problem.status, {
    ...problem.extra.headers,
    'Content-Type': 'application/problem+json',
  })
}
