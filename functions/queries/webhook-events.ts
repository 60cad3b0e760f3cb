import type { Queryable } from '../db/database.ts'
import { sql } from '../db/sql.ts'
import type { IntegrationProvider } from '../domain/vocabulary.ts'

/**
 * The webhook pipeline's statements, as the service role (webhooks and jobs
 * only): the integration a delivery names, the events it stored, claiming one
 * to process and recording how that went, and the events due for a retry.
 */

export interface ReceivingIntegration {
  id: string
  org_id: string
  provider: IntegrationProvider
  enabled: boolean
  secrets: string[]
}

/** The integration a delivery is addressed to, with its secrets; undefined when there is none of that provider. */
export async function receivingIntegration(
  tx: Queryable,
  integrationId: string,
  provider: IntegrationProvider,
): Promise<ReceivingIntegration | undefined> {
  const [integration] = await tx.query<ReceivingIntegration>(
    sql`select i.id, i.org_id, i.provider, i.enabled, s.secrets
        from public.integrations i
        join private.integration_secrets s on s.integration_id = i.id
        where i.id = ${integrationId} and i.provider = ${provider}`,
  )
  return integration
}

/** Stores a delivery's events as pending; an event id the integration delivered before is left out. Returns the new ids. */
export async function storeWebhookEvents(
  tx: Queryable,
  integration: Pick<ReceivingIntegration, 'id' | 'org_id' | 'provider'>,
  events: readonly { eventId: string; body: string }[],
): Promise<{ id: string }[]> {
  return tx.query<{ id: string }>(
    sql`insert into public.webhook_events (org_id, integration_id, provider, event_id, body)
        select ${integration.org_id}, ${integration.id}, ${integration.provider}, e.event_id, e.body
        from jsonb_to_recordset(${sql.json(events.map((e) => ({ event_id: e.eventId, body: e.body })))})
          as e (event_id text, body text)
        on conflict (integration_id, event_id) do nothing
        returning id`,
  )
}

/** A claimed event with its integration's mapping. */
export interface ClaimedEvent {
  id: string
  org_id: string
  integration_id: string
  provider: IntegrationProvider
  event_id: string
  body: string
  mapping: Record<string, unknown> | null
}

/**
 * Claims a pending or failed event until the transaction ends (`for update
 * skip locked`): undefined when someone else holds it or it is done.
 */
export async function claimWebhookEvent(tx: Queryable, eventId: string): Promise<ClaimedEvent | undefined> {
  const [event] = await tx.query<ClaimedEvent>(
    sql`select e.id, e.org_id, e.integration_id, e.provider, e.event_id, e.body, i.mapping
        from public.webhook_events e
        join public.integrations i on i.id = e.integration_id
        where e.id = ${eventId} and e.status in ('pending', 'failed')
        for update of e skip locked`,
  )
  return event
}

/** Records a claimed event as done: processed, or ignored with the reason. */
export async function markWebhookEventDone(
  tx: Queryable,
  eventId: string,
  status: 'processed' | 'ignored',
  note: string | null,
): Promise<void> {
  await tx.query(
    sql`update public.webhook_events
        set status = ${status}, attempts = attempts + 1, last_error = ${note}, processed_at = now()
        where id = ${eventId}`,
  )
}

/**
 * Records a failed attempt: failed, due again after a backoff (`firstBackoffMs`,
 * doubling, at most an hour), or dead once `maxAttempts` were made. Undefined
 * when the event was no longer pending or failed.
 */
export async function recordWebhookEventFailure(
  tx: Queryable,
  eventId: string,
  {
    message,
    now,
    maxAttempts,
    firstBackoffMs,
  }: { message: string; now: Date; maxAttempts: number; firstBackoffMs: number },
): Promise<{ status: 'failed' | 'dead'; attempts: number } | undefined> {
  const [row] = await tx.query<{ status: 'failed' | 'dead'; attempts: number }>(
    sql`update public.webhook_events
        set attempts = attempts + 1,
            last_error = ${message},
            status = case when attempts + 1 >= ${maxAttempts} then 'dead' else 'failed' end,
            next_attempt_at = ${now.toISOString()}::timestamptz
              + make_interval(secs => least(3600, ${firstBackoffMs}::float8 / 1000 * power(2, least(attempts, 7))))
        where id = ${eventId} and status in ('pending', 'failed')
        returning status, attempts`,
  )
  return row
}

/** Events pending (never processed) or failed and due, oldest due first. */
export async function dueWebhookEvents(tx: Queryable, now: Date, limit: number): Promise<string[]> {
  const rows = await tx.query<{ id: string }>(
    sql`select id from public.webhook_events
        where status in ('pending', 'failed') and next_attempt_at <= ${now.toISOString()}::timestamptz
        order by next_attempt_at, id
        limit ${limit}`,
  )
  return rows.map((row) => row.id)
}
