/**
 * Raised when a transaction waited too long for a pooled connection, or found
 * the queue full: the database is busy or unreachable. A 503 the client may
 * retry; nothing was sent to the database.
 */
export class DatabaseBusyError extends Error {
  override name = 'DatabaseBusyError'
  readonly code = 'DATABASE_BUSY'
}

export interface ConnectionGateOptions {
  /** Transactions at once: the pool's size, so the driver itself never queues one. */
  permits: number
  /** How long a transaction may wait for its turn. */
  maxWaitMs: number
  /** Waiting transactions beyond this are refused at once. */
  maxWaiters: number
}

/**
 * A bounded queue in front of the pool. postgres.js queues without limit and
 * without a deadline: when the database stops answering (a server that
 * accepts connections and never replies, a restart), every request waits in
 * that queue, including requests already answered 503 by the request
 * timeout, and the queue grows with the traffic. Here a transaction waits at
 * most `maxWaitMs` for one of `permits` slots, and at most `maxWaiters` wait.
 */
export function createConnectionGate(options: ConnectionGateOptions) {
  let free = options.permits
  let refuseUntil = 0
  let refusal = ''
  const waiting: {
    admit: () => void
    refuse: (error: Error) => void
    timer: ReturnType<typeof setTimeout>
  }[] = []

  function acquire(): Promise<void> {
    if (Date.now() < refuseUntil) return Promise.reject(new DatabaseBusyError(refusal))
    if (free > 0) {
      free--
      return Promise.resolve()
    }
    if (waiting.length >= options.maxWaiters) {
      return Promise.reject(
        new DatabaseBusyError(`${waiting.length} requests are already waiting for the database.`),
      )
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        admit: resolve,
        refuse: reject,
        timer: setTimeout(() => {
          waiting.splice(waiting.indexOf(waiter), 1)
          reject(new DatabaseBusyError(`No database connection within ${options.maxWaitMs} ms.`))
        }, options.maxWaitMs),
      }
      waiting.push(waiter)
    })
  }

  function release(): void {
    const next = waiting.shift()
    if (!next) {
      free++
      return
    }
    clearTimeout(next.timer)
    next.admit()
  }

  return {
    async run<T>(fn: () => Promise<T>): Promise<T> {
      await acquire()
      try {
        return await fn()
      } finally {
        release()
      }
    },
    /**
     * The database could not be reached (refused, or no answer within the
     * connect timeout): everyone waiting now would only wait for the same
     * failure, so they are answered at once, and so is everyone arriving in
     * the next `ms`; then connections are tried again. A circuit breaker.
     */
    refuseFor(ms: number, reason: string): void {
      refuseUntil = Date.now() + ms
      refusal = reason
      for (const waiter of waiting.splice(0)) {
        clearTimeout(waiter.timer)
        waiter.refuse(new DatabaseBusyError(reason))
      }
    },
    /** For tests and metrics: slots in use and transactions waiting. */
    stats: () => ({ busy: options.permits - free, waiting: waiting.length }),
  }
}
