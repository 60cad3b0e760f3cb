import type { Database } from '../db/database.ts'
import { withServiceRole } from '../db/with-user.ts'
import type { WebhookEventStatus } from '../domain/vocabulary.ts'
import { applyChange, type EventContext } from './apply.ts'
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
      const [event] = await tx.query<EventContext & { body: string }>(
        `select e.id, e.org_id, e.integration_id, e.provider, e.event_id, e.body, i.mapping
         from public.webhook_events e
         join public.integrations i on i.id = e.integration_id
         where e.id = $1 and e.status in ('pending', 'failed')
         for update of e skip locked`,
        [eventId],
      )
      if (!event) return 'skipped'
      const interpretation = providers[event.provider].interpret(event.body, event.mapping ?? {})
      let status: 'processed' | 'ignored' = 'ignored'
      let note: string | null = null
      if ('ignored' in interpretation) note = interpretation.ignored
      else if ((await applyChange(tx, event, interpretation.change)) === 'applied') status = 'processed'
      else note = 'older than what is already applied (out of order)'
      await tx.query(
        `update public.webhook_events
         set status = $2, attempts = attempts + 1, last_error = $3, processed_at = now()
         where id = $1`,
        [eventId, status, note],
      )
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
  const rows = await withServiceRole(db, (tx) =>
    tx.query<{ status: 'failed' | 'dead'; attempts: number }>(
      `update public.webhook_events
       set attempts = attempts + 1,
           last_error = $2,
           status = case when attempts + 1 >= $3 then 'dead' else 'failed' end,
           next_attempt_at = $4::timestamptz
             + make_interval(secs => least(3600, $5::float8 / 1000 * power(2, least(attempts, 7))))
       where id = $1 and status in ('pending', 'failed')
       returning status, attempts`,
      [eventId, message, maxAttempts, now.toISOString(), backoffMs(1)],
    ),
  )
  return rows[0]?.status ?? 'skipped'
}
