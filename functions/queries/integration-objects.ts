import type { Queryable } from '../db/database.ts'
import { sql } from '../db/sql.ts'
import type { CrmObjectKind } from '../domain/vocabulary.ts'

/**
 * integration_objects: the sync state of each CRM object an integration
 * delivered (its merged properties, when each changed at the source, the
 * local row it became). Written by the webhook pipeline (webhooks/apply.ts)
 * as the service role.
 */

/** One object of one integration, as the CRM names it. */
export interface CrmObjectKey {
  integrationId: string
  kind: CrmObjectKind
  externalId: string
}

export interface ObjectState {
  local_id: string | null
  properties: Record<string, string | null>
  changed_at: Record<string, number>
  deleted_ms: number | null
}

/**
 * The object's sync state, locked until the transaction ends; its row is
 * created (empty) on the object's first event.
 */
export async function lockObjectState(
  tx: Queryable,
  orgId: string,
  { integrationId, kind, externalId }: CrmObjectKey,
): Promise<ObjectState | undefined> {
  await tx.query(
    sql`insert into public.integration_objects (org_id, integration_id, kind, external_id)
        values (${orgId}, ${integrationId}, ${kind}, ${externalId}) on conflict do nothing`,
  )
  const [state] = await tx.query<ObjectState>(
    sql`select local_id, properties, changed_at,
               (extract(epoch from deleted_at) * 1000)::float8 as deleted_ms
        from public.integration_objects
        where integration_id = ${integrationId} and kind = ${kind} and external_id = ${externalId}
        for update`,
  )
  return state
}

/** Stores the object's merged state and the local row it is now (null: none, or deleted). */
export async function saveObjectState(
  tx: Queryable,
  { integrationId, kind, externalId }: CrmObjectKey,
  state: ObjectState,
): Promise<void> {
  await tx.query(
    sql`update public.integration_objects
        set local_id = ${state.local_id}, properties = ${sql.json(state.properties)},
            changed_at = ${sql.json(state.changed_at)},
            deleted_at = case when ${state.deleted_ms}::float8 is null then null
                              else to_timestamp(${state.deleted_ms}::float8 / 1000) end,
            updated_at = now()
        where integration_id = ${integrationId} and kind = ${kind} and external_id = ${externalId}`,
  )
}

/** The company a contact last named (its `customer` property), if the contact is known. */
export async function companyOfKnownContact(
  tx: Queryable,
  integrationId: string,
  externalId: string,
): Promise<string | null | undefined> {
  const [known] = await tx.query<{ customer: string | null }>(
    sql`select properties ->> 'customer' as customer from public.integration_objects
        where integration_id = ${integrationId} and kind = 'contact' and external_id = ${externalId}`,
  )
  return known?.customer
}

/**
 * Serializes, until the transaction ends, every change touching one company
 * of an integration (the company's own, and its contacts').
 */
export async function lockCompanyChanges(
  tx: Queryable,
  integrationId: string,
  company: string,
): Promise<void> {
  await tx.query(
    sql`select pg_advisory_xact_lock(hashtextextended(${`${integrationId}/customer/${company}`}, 0))`,
  )
}

/** Contacts waiting for a company that had not arrived, locked: those naming `company`, not yet made. */
export function lockWaitingContacts(
  tx: Queryable,
  integrationId: string,
  company: string,
): Promise<(ObjectState & { external_id: string })[]> {
  return tx.query<ObjectState & { external_id: string }>(
    sql`select external_id, local_id, properties, changed_at, null::float8 as deleted_ms
        from public.integration_objects
        where integration_id = ${integrationId} and kind = 'contact' and local_id is null and deleted_at is null
          and properties ->> 'customer' = ${company}
        for update`,
  )
}

/** Records the local contact a waiting contact became. */
export async function setContactLocalId(
  tx: Queryable,
  integrationId: string,
  externalId: string,
  localId: string | null,
): Promise<void> {
  await tx.query(
    sql`update public.integration_objects set local_id = ${localId}, updated_at = now()
        where integration_id = ${integrationId} and kind = 'contact' and external_id = ${externalId}`,
  )
}

/** The live deals that name `company`, except `exceptDeal`: who may carry the company's deal next. */
export function dealsOfCompany(
  tx: Queryable,
  integrationId: string,
  company: string,
  exceptDeal: string,
): Promise<(ObjectState & { external_id: string })[]> {
  return tx.query<ObjectState & { external_id: string }>(
    sql`select external_id, local_id, properties, changed_at, null::float8 as deleted_ms
        from public.integration_objects
        where integration_id = ${integrationId} and kind = 'deal' and deleted_at is null
          and properties ->> 'customer' = ${company} and external_id <> ${exceptDeal}`,
  )
}
