import type { Database } from '../db/database.ts'
import { withServiceRole } from '../db/with-user.ts'
import type { WebhookEventStatus } from '../domain/vocabulary.ts'
import {
  claimWebhookEvent,
  markWebhookEventDone,
  recordWebhookEventFailure,
} from '../queries/webhook-events.ts'
import { applyChange } from './apply.ts'
import { providers } from './providers/index.ts'

/** After this many failed attempts an event is dead-lettered (admins replay it). */
export const MAX_ATTEMPTS = 8

/** Wait before the next attempt: 30 s, doubling, at most an hour. */
export function backoffMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000)
}

export type ProcessOutcome = Exclude<WebhookEventStatus, 'pending'> | 'skipped'

export interface ProcessOptions {
  now?: Date
  maxAttempts?: number
}

/**
 * Processes one stored event as the service role (webhooks and jobs only).
 * Claiming (`for update skip locked` on a pending or failed row), applying and
 * marking it processed happen in one transaction: a crash anywhere leaves the
 * event pending and changes nothing, and no two workers apply it twice. A
 * failure is recorded in a second transaction with the error and attempt count.
 * 'skipped' means someone else holds it, or it is done already.
 */
export async function processWebhookEventAsService(
  db: Database,
  eventId: string,
  { now = new Date(), maxAttempts = MAX_ATTEMPTS }: ProcessOptions = {},
): Promise<ProcessOutcome> {
  try {
    return await withServiceRole(db, async (tx) => {
      const claimed = await claimWebhookEvent(tx, eventId)
      if (!claimed) return 'skipped'
      const event = { ...claimed, mapping: claimed.mapping ?? {} }
      const interpretation = providers[event.provider].interpret(event.body, event.mapping)
      let status: 'processed' | 'ignored' = 'ignored'
      let note: string | null = null
      if ('ignored' in interpretation) note = interpretation.ignored
      else if ((await applyChange(tx, event, interpretation.change)) === 'applied') status = 'processed'
      else note = 'older than what is already applied (out of order)'
      await markWebhookEventDone(tx, eventId, status, note)
      return status
    })
  } catch (error) {
    return recordFailure(db, eventId, error, now, maxAttempts)
  }
}

async function recordFailure(
  db: Database,
  eventId: string,
  error: unknown,
  now: Date,
  maxAttempts: number,
): Promise<ProcessOutcome> {
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 1000)
  const row = await withServiceRole(db, (tx) =>
    recordWebhookEventFailure(tx, eventId, { message, now, maxAttempts, firstBackoffMs: backoffMs(1) }),
  )
  return row?.status ?? 'skipped'
}
