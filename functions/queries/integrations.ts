import type { Queryable } from '../db/database.ts'
import { sql } from '../db/sql.ts'
import type { IntegrationProvider, WebhookEventStatus } from '../domain/vocabulary.ts'
import { assertOrgVisible, readAfterCheck } from './visibility.ts'

/**
 * Integrations (a CRM sending webhooks into an organization) as admins manage
 * them, and the events they delivered. As the caller: RLS lets admins and
 * owners only; the secrets live in private.integration_secrets, written by a
 * function and never read back.
 */

export interface IntegrationDbRow {
  id: string
  org_id: string
  provider: IntegrationProvider
  name: string
  enabled: boolean
  mapping: Record<string, never>
  created_by: string | null
  created_at: unknown
  updated_at: unknown
}

const columns = sql`id, org_id, provider, name, enabled, mapping, created_by, created_at, updated_at`

/** An organization's integrations, oldest first (at most 100); 404 when it is hidden. */
export function listIntegrations(tx: Queryable, orgId: string): Promise<IntegrationDbRow[]> {
  return readAfterCheck(
    assertOrgVisible(tx, orgId),
    tx.query<IntegrationDbRow>(
      sql`select ${columns} from public.integrations where org_id = ${orgId} order by created_at, id limit 100`,
    ),
  )
}

export interface NewIntegration {
  provider: IntegrationProvider
  name: string
  enabled: boolean
  mapping: Record<string, unknown>
  secret: string
}

/** Creates an integration with its signing secret; 404 when the organization is hidden. */
export async function createIntegration(
  tx: Queryable,
  orgId: string,
  integration: NewIntegration,
): Promise<IntegrationDbRow> {
  await assertOrgVisible(tx, orgId)
  const [created] = await tx.query<IntegrationDbRow>(
    sql`insert into public.integrations (org_id, provider, name, enabled, mapping)
        values (${orgId}, ${integration.provider}, ${integration.name}, ${integration.enabled},
                ${sql.json(integration.mapping)})
        returning ${columns}`,
  )
  if (!created) throw new Error('the new integration was not returned')
  await setIntegrationSecret(tx, created.id, integration.secret, false)
  return created
}

/** Stores an integration's secret; `keepPrevious` keeps the one before it valid (a rotation). */
export async function setIntegrationSecret(
  tx: Queryable,
  id: string,
  secret: string,
  keepPrevious: boolean,
): Promise<void> {
  await tx.query(sql`select private.set_integration_secret(${id}, ${secret}, ${keepPrevious})`)
}

/** One integration; undefined when hidden. */
export async function getIntegration(tx: Queryable, id: string): Promise<IntegrationDbRow | undefined> {
  const [row] = await tx.query<IntegrationDbRow>(
    sql`select ${columns} from public.integrations where id = ${id}`,
  )
  return row
}

/** A change to an integration: an absent field stays as it is. */
export interface IntegrationChange {
  name?: string | undefined
  enabled?: boolean | undefined
  mapping?: Record<string, unknown> | undefined
}

/** Changes an integration; undefined when hidden (or not the caller's to change). */
export async function updateIntegration(
  tx: Queryable,
  id: string,
  change: IntegrationChange,
): Promise<IntegrationDbRow | undefined> {
  const mapping = change.mapping === undefined ? sql`null::jsonb` : sql.json(change.mapping)
  const [updated] = await tx.query<IntegrationDbRow>(
    sql`update public.integrations
        set name = coalesce(${change.name ?? null}, name), enabled = coalesce(${change.enabled ?? null}, enabled),
            mapping = coalesce(${mapping}, mapping)
        where id = ${id}
        returning ${columns}`,
  )
  return updated
}

/** Deletes an integration; false when there was none the caller could delete. */
export async function deleteIntegration(tx: Queryable, id: string): Promise<boolean> {
  const rows = await tx.query(sql`delete from public.integrations where id = ${id} returning 1`)
  return rows.length > 0
}

export interface DeliveredEventDbRow {
  id: string
  integration_id: string
  provider: IntegrationProvider
  event_id: string
  status: 'dead'
  attempts: number
  last_error: string | null
  received_at: unknown
  next_attempt_at: unknown
  processed_at: unknown
  body: string
}

/** An organization's webhook events in one status, newest first; 404 when it is hidden. */
export function listWebhookEvents(
  tx: Queryable,
  orgId: string,
  { status, limit }: { status: WebhookEventStatus; limit: number },
): Promise<DeliveredEventDbRow[]> {
  return readAfterCheck(
    assertOrgVisible(tx, orgId),
    tx.query<DeliveredEventDbRow>(
      sql`select id, integration_id, provider, event_id, status, attempts, last_error,
                 received_at, next_attempt_at, processed_at, body
          from public.webhook_events
          where org_id = ${orgId} and status = ${status}
          order by received_at desc, id desc
          limit ${limit}`,
    ),
  )
}

/** Puts a failed or dead event back to pending: `missing` when hidden, `not_replayable` in another status. */
export async function replayWebhookEvent(
  tx: Queryable,
  id: string,
): Promise<'replayed' | 'missing' | 'not_replayable'> {
  const [visible] = await tx.query<{ status: string }>(
    sql`select status from public.webhook_events where id = ${id}`,
  )
  if (!visible) return 'missing'
  const [row] = await tx.query<{ replayed: boolean }>(
    sql`select private.replay_webhook_event(${id}) as replayed`,
  )
  return row?.replayed ? 'replayed' : 'not_replayable'
}
