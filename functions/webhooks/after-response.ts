import type { Context } from 'hono'

/**
 * Runs work after the response is sent, the way each runtime allows: Workers
 * keep the isolate alive for `executionCtx.waitUntil`, Supabase Edge for
 * `EdgeRuntime.waitUntil`; Node simply carries on (the same code path, not
 * awaited by the response). Failures are logged: the stored event is what
 * guarantees the work, and the retry path picks up anything unfinished.
 */
const inFlight = new Set<Promise<unknown>>()

export function runAfterResponse(
  c: Context,
  work: () => Promise<unknown>,
  log: (line: Record<string, unknown>) => void,
) {
  const promise: Promise<unknown> = Promise.resolve()
    .then(work)
    .catch((error: unknown) =>
      log({ event: 'after_response_failed', error: error instanceof Error ? error.message : String(error) }),
    )
    .finally(() => inFlight.delete(promise))
  inFlight.add(promise)
  let executionCtx: { waitUntil(p: Promise<unknown>): void } | undefined
  try {
    executionCtx = c.executionCtx
  } catch {
    // No ExecutionContext: Node or Deno.
  }
  if (executionCtx) return executionCtx.waitUntil(promise)
  const edge = (globalThis as { EdgeRuntime?: { waitUntil?(p: Promise<unknown>): void } }).EdgeRuntime
  edge?.waitUntil?.(promise)
}

/** Resolves once all work started so far has finished (tests, benchmarks, graceful shutdown). */
export async function settleAfterResponse(): Promise<void> {
  while (inFlight.size > 0) await Promise.allSettled([...inFlight])
}
