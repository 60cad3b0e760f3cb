import type { MiddlewareHandler } from 'hono'
import { requestId as honoRequestId } from 'hono/request-id'
import type { AppEnv } from '../../context.ts'

/**
 * Gives every request an id, echoed as `X-Request-Id` and put in every problem
 * and log line. A caller's own id (a proxy's, say) is kept when it is short and
 * plain; anything else is replaced, so it cannot inject into our logs.
 */
export const requestId = (): MiddlewareHandler<AppEnv> =>
  honoRequestId({ headerName: 'X-Request-Id', limitLength: 64 }) as MiddlewareHandler<AppEnv>
