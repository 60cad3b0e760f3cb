import type { Database } from '../db/database.ts'
import { withServiceRole } from '../db/with-user.ts'
import { dueWebhookEvents } from '../queries/webhook-events.ts'
import { type ProcessOptions, type ProcessOutcome, processWebhookEventAsService } from './process.ts'

export interface RetryOptions extends ProcessOptions {
  /** At most this many events per run (the scheduler calls again). */
  limit?: number
}

/**
 * The retry path, for the scheduler and on demand: processes events that are
 * pending (never processed: the process died after storing them) or failed and
 * due (their backoff has passed), oldest due first. Returns the outcomes counted.
 */
export async function processPendingWebhookEvents(
  db: Database,
  { limit = 100, now = new Date(), maxAttempts }: RetryOptions = {},
): Promise<Record<ProcessOutcome, number>> {
  const due = await withServiceRole(db, (tx) => dueWebhookEvents(tx, now, limit))
  const counts: Record<ProcessOutcome, number> = { processed: 0, ignored: 0, failed: 0, dead: 0, skipped: 0 }
  for (const id of due) counts[await processWebhookEventAsService(db, id, { now, maxAttempts })]++
  return counts
}
