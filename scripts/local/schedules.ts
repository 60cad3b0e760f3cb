import type { Database } from '../../functions/db/database.ts'
import { runNightlyMetricsAsServiceRole } from '../../functions/jobs/daily-metrics.ts'
import { cleanUpAbandonedUploadsAsServiceRole } from '../../functions/storage/abandoned-uploads.ts'
import type { DocumentStorage } from '../../functions/storage/document-storage.ts'
import { processPendingWebhookEvents } from '../../functions/webhooks/retry.ts'

export interface LocalSchedules {
  /** Stops the timers and waits for a job that is running. */
  stop(): Promise<void>
}

const minute = 60_000
const day = 24 * 60 * minute

/**
 * What the Worker's crons do in production, while the local stack is up: the
 * nightly aggregates once at start (catching up on days missed while it was
 * down) and then daily, and webhook retries every minute. A failure is logged
 * and recorded in job_runs; it never stops the stack.
 */
export function startLocalSchedules(
  db: Database,
  log: (line: string) => void,
  /** Where document files live; given, abandoned uploads are cleaned up after the nightly aggregates. */
  storage?: DocumentStorage | null,
): LocalSchedules {
  let running: Promise<unknown> = Promise.resolve()
  let stopped = false
  const run = (name: string, job: () => Promise<unknown>) => {
    if (stopped) return
    running = running
      .then(job)
      .catch((error: unknown) =>
        log(`${name} failed: ${error instanceof Error ? error.message : String(error)}`),
      )
  }
  const nightly = () => {
    run('nightly metrics', () => runNightlyMetricsAsServiceRole(db))
    if (storage) run('abandoned uploads', () => cleanUpAbandonedUploadsAsServiceRole(db, storage))
  }
  const retries = () => run('webhook retries', () => processPendingWebhookEvents(db))
  nightly()
  const timers = [setInterval(nightly, day), setInterval(retries, minute)]
  for (const timer of timers) timer.unref()
  return {
    async stop() {
      stopped = true
      for (const timer of timers) clearInterval(timer)
      await running
    },
  }
}
