import type { MiddlewareHandler } from 'hono'
import { bodyLimit as honoBodyLimit } from 'hono/body-limit'
import type { AppEnv } from '../../context.ts'
import { problemResponse, problems } from '../../problems/problem.ts'

/**
 * Refuses bodies over `maxBytes` with 413 before they are read into memory:
 * Content-Length is checked up front, chunked bodies are counted as they stream.
 */
export const bodyLimit = (maxBytes: number): MiddlewareHandler<AppEnv> =>
  honoBodyLimit({
    maxSize: maxBytes,
    onError: (c) => problemResponse(c, problems.payloadTooLarge(maxBytes)),
  }) as MiddlewareHandler<AppEnv>
