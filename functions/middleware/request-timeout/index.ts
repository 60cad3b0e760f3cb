import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../../context.ts'
import { problemResponse, problems } from '../../problems/problem.ts'

export interface RequestTimeoutOptions {
  /** How long a request may run before the caller gets a 503 (REQUEST_TIMEOUT_MS, 15 s by default). */
  ms: number
  /** Routes that take longer by nature (the imports, IMPORT_TIMEOUT_MS): matched by path, their own limit. */
  longer?: { matches: (path: string) => boolean; ms: number }
}

/**
 * Answers 503 `unavailable` with `Retry-After: 1` when the rest of the chain is
 * still running after `ms`, so a caller never waits for ever on a pooled
 * connection that the driver lost (porsager/postgres#1208: it never answers
 * again) or on a pool that has no free connection.
 *
 * The handler is not cancelled: JavaScript cannot stop a promise. It runs on,
 * its transaction commits or rolls back on its own (or is cancelled by the
 * role's statement_timeout, 8 s, shorter than this on purpose), and its late
 * result is dropped: Hono keeps the first response once it is final, and the
 * server has already sent it. So a 503 from here does not say that a write did
 * not happen; clients retry writes with the same Idempotency-Key.
 *
 * Not `hono/timeout`: it throws an HTTPException, which our onError turns into
 * a 500 for any 5xx, and it says nothing when the abandoned handler finishes.
 */
export const requestTimeout = (options: RequestTimeoutOptions): MiddlewareHandler<AppEnv> =>
  async function requestTimeout(c, next) {
    const ms = options.longer?.matches(c.req.path) ? options.longer.ms : options.ms
    const started = performance.now()
    let timer: ReturnType<typeof setTimeout> | undefined
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), ms)
    })
    // compose() hands a handler's error to onError (and notes it in c.error); a
    // rejection reaches here only from a chain without one.
    const handled = next().then(
      () => 'done' as const,
      (error: unknown) => ({ error }),
    )
    const first = await Promise.race([handled, timedOut])
    clearTimeout(timer)
    if (first === 'done') return
    if (first !== 'timeout') throw first.error

    const log = c.var.deps?.log
    log?.({
      level: 'warn',
      msg: 'request timed out',
      method: c.req.method,
      path: new URL(c.req.url).pathname,
      timeout_ms: ms,
      request_id: c.var.requestId,
    })
    // What the abandoned handler did in the end: a late commit is worth knowing about.
    void handled.then((outcome) =>
      log?.({
        level: 'warn',
        msg: 'timed-out request finished',
        request_id: c.var.requestId,
        duration_ms: Math.round(performance.now() - started),
        outcome: outcome === 'done' && !c.error ? 'completed' : 'failed',
      }),
    )
    return problemResponse(
      c,
      problems.unavailable(`The request took longer than ${ms} ms; it may or may not have been applied.`),
    )
  }
