import { createRoute, type RouteConfig, z } from '@hono/zod-openapi'

/** RFC 9457 problem details, as every error of this API is shaped. */
export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    code: z.string().openapi({ description: 'Stable, documented error code', example: 'validation_failed' }),
    request_id: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem')

const descriptions: Record<number, string> = {
  400: 'Invalid request: failing fields listed, or a body that is not valid JSON',
  401: 'Missing or invalid credential: an access token, or the secret the route names',
  403: 'Your role does not allow this',
  404: 'Not found (or not visible to you)',
  409: 'Conflict with existing data',
  412: 'If-Match does not match the current ETag',
  413: 'Body too large: over BODY_LIMIT_BYTES, or the limit the route names',
  415: 'The body is not in a media type this route accepts',
  422: 'The change breaks a rule',
  500: 'Our failure (never a client mistake)',
  503: 'Temporarily unavailable (database, storage or the request timeout); retry, with the same Idempotency-Key for a create',
}

/** The problem responses a route can give, for its OpenAPI description. */
export function problemResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      {
        description: descriptions[s] ?? 'Error',
        content: { 'application/problem+json': { schema: Problem } },
      },
    ]),
  )
}

/**
 * A route of this API: `createRoute` plus the problem answers that come from
 * what every route shares rather than from its handler, so no route can
 * forget them (tests/contract checks every status the suites observe):
 * - 400 when it validates any part of the request (router.ts's hook), or parses a JSON body;
 * - 401 when it needs a credential (requireUser, or the jobs secret);
 * - 413 and 415 when it accepts a body (middleware/body-limit, zod-openapi's media type check);
 * - 503 always: REQUEST_TIMEOUT_MS (middleware/request-timeout) and an unreachable database apply to all.
 * No 429 (the API has no rate limit of its own: the platform's is in front) and no 500 (a bug, never
 * an answer; the jobs' 500 is declared where it is one). A route's own declaration of one of these wins.
 */
export function createApiRoute<P extends string, R extends Omit<RouteConfig, 'path'> & { path: P }>(
  route: R,
): ReturnType<typeof createRoute<P, R>> {
  const { request, security } = route
  const shared = [
    ...(request && Object.values(request).some(Boolean) ? [400] : []),
    ...(security && security.length > 0 ? [401] : []),
    ...(request?.body ? [413, 415] : []),
    503,
  ]
  return createRoute({ ...route, responses: { ...problemResponses(...shared), ...route.responses } })
}

/** A conditional GET's answer when the client's copy is current (functions/http/conditional-get.ts). */
export const notModifiedResponse = {
  304: {
    description: 'Not modified: If-None-Match names the current ETag (RFC 9110 §15.4.5); no body',
    headers: z.object({ ETag: z.string().openapi({ description: 'The current ETag' }) }),
  },
}

/** A file the API streams: its media type, a string body, and the name to save it under. */
export const fileDownload = (mediaType: string, description: string) => ({
  description,
  headers: z.object({
    'Content-Disposition': z.string().openapi({
      description: 'attachment; filename="…": the name to save it under',
      example: 'attachment; filename="customers-2026-12-05.csv"',
    }),
  }),
  content: { [mediaType]: { schema: z.string().openapi({ format: 'binary' }) } },
})

export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
})

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
})

export const bearerAuth = [{ bearerAuth: [] }]

export const IdempotencyKeyHeader = z.object({
  'idempotency-key': z
    .string()
    .optional()
    .openapi({ description: 'Retry-safe creates: the same key replays the first response' }),
})

export const IfMatchHeader = z.object({
  'if-match': z.string().optional().openapi({ description: 'The ETag you read; 412 if it changed since' }),
})

/** A record's version as a body field: its ETag without the quotes. */
export const versionField = z
  .string()
  .regex(/^\d{1,19}$/)
  .openapi({
    description:
      'The record’s version (its ETag without quotes): send `If-Match: "<version>"` to change it safely',
    example: '1795600000000000',
  })
