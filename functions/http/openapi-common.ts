import { z } from '@hono/zod-openapi'

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
  400: 'Invalid request (failing fields listed)',
  401: 'Missing or invalid access token',
  403: 'Your role does not allow this',
  404: 'Not found (or not visible to you)',
  409: 'Conflict with existing data',
  412: 'If-Match does not match the current ETag',
  413: 'Body too large',
  422: 'The change breaks a rule',
  503: 'Temporarily unavailable; retry',
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
