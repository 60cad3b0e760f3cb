import type { Context, ErrorHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { AppEnv } from '../context.ts'
import { problemFromPostgres } from './postgres-errors.ts'
import { ApiProblem, problemResponse, problems } from './problem.ts'

/**
 * Every error leaves as problem+json. Client mistakes keep their 4xx; anything
 * else is a 500 that says nothing of SQL or stacks to the caller and everything
 * to our log, under the same request id.
 */
export const onError: ErrorHandler<AppEnv> = (error, c) => problemResponse(c, toProblem(error, c))

function toProblem(error: unknown, c: Context<AppEnv>): ApiProblem {
  if (error instanceof ApiProblem) return error
  const fromPostgres = problemFromPostgres(error)
  if (fromPostgres) return fromPostgres
  if (error instanceof HTTPException) {
    if (error.status === 400 && /JSON/i.test(error.message)) return problems.malformedJson()
    if (error.status === 413) return problems.payloadTooLarge(c.var.deps?.config.BODY_LIMIT_BYTES ?? 0)
    // zod-openapi's validator refuses a body that is not JSON with 415 (RFC 9110 §15.5.16).
    if (error.status === 415) return problems.unsupportedMediaType()
    if (error.status < 500) return new ApiProblem(error.status, 'bad_request', error.message || 'Bad request')
  }
  c.var.deps?.log({
    level: 'error',
    msg: 'unhandled error',
    request_id: c.var.requestId,
    error:
      error instanceof Error
        ? { name: error.name, message: error.message, stack: error.stack }
        : String(error),
  })
  return problems.internal()
}
