import type { MiddlewareHandler } from 'hono'
import { bodyLimit as honoBodyLimit } from 'hono/body-limit'
import type { AppEnv } from '../../context.ts'
import { ApiProblem, problemResponse, problems } from '../../problems/problem.ts'

export interface BodyLimitOptions {
  /** Paths this limit leaves alone because their routes set their own (the imports). */
  skip?: (path: string) => boolean
  /** The 413's detail, when it should say which limit this is and what to do instead. */
  detail?: string
}

/**
 * Refuses bodies over `maxBytes` with 413 before they are read into memory:
 * Content-Length is checked up front, chunked bodies are counted as they stream.
 */
export const bodyLimit = (maxBytes: number, options: BodyLimitOptions = {}): MiddlewareHandler<AppEnv> => {
  const limit = honoBodyLimit({
    maxSize: maxBytes,
    onError: (c) => {
      const problem = problems.payloadTooLarge(maxBytes)
      if (options.detail === undefined) return problemResponse(c, problem)
      return problemResponse(c, new ApiProblem(problem.status, problem.code, problem.title, options.detail))
    },
  }) as MiddlewareHandler<AppEnv>
  const { skip } = options
  return async function bodyLimit(c, next) {
    // GET and HEAD carry no body (the Node adapter drops one, as fetch does). Hono's
    // check would build the full Request to find that out: 5% of a GET's CPU under load.
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next()
    if (skip?.(c.req.path)) return next()
    return limit(c, next)
  }
}
