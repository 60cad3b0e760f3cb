import type { Queryable } from '../db/database.ts'
import { type Sql, sql } from '../db/sql.ts'
import type { TimelineEventType } from '../domain/vocabulary.ts'
import { type KeysetAfter, type KeysetRow, type KeysetSort, keysetClauses } from './keyset.ts'
import { assertCustomerVisible, assertOrgVisible, readAfterCheck } from './visibility.ts'

/** Timeline events: an organization's or one customer's, newest first, and the notes people add. */

/** The columns every event is read with. `e` is public.timeline_events. */
export const eventColumns = sql`e.id, e.org_id, e.customer_id, e.type, e.description, e.occurred_at, e.actor_id, e.payload`

/** Newest first; the id breaks ties between events of one transaction (they share now()). */
export const newestFirst: KeysetSort = {
  name: '-occurred_at',
  column: sql`e.occurred_at`,
  type: sql`timestamptz`,
  idColumn: sql`e.id`,
}

export type EventDbRow = {
  id: string
  org_id: string
  customer_id: string | null
  type: string
  description: string
  occurred_at: Date | string
  actor_id: string | null
  payload: Record<string, unknown>
}

export interface EventFilters {
  limit: number
  after?: KeysetAfter | undefined
  type?: readonly TimelineEventType[] | undefined
}

/** One keyset page (and one row more) of the events `scope` selects, read together with its visibility check. */
function listEvents(
  tx: Queryable,
  scope: Sql,
  check: Promise<void>,
  filters: EventFilters,
): Promise<(EventDbRow & KeysetRow)[]> {
  const page = keysetClauses(newestFirst, filters.after, filters.limit)
  const conditions = [scope]
  if (filters.type)
    conditions.push(sql`e.type = any(${sql.textArray(filters.type)}::public.timeline_event_type[])`)
  conditions.push(page.after)
  return readAfterCheck(
    check,
    tx.query<EventDbRow & KeysetRow>(
      sql`select ${eventColumns}, ${page.sortValue} as sort_value
          from public.timeline_events e
          where ${sql.join(conditions, ' and ')}
          order by ${page.orderBy}
          limit ${page.limit}`,
    ),
  )
}

/** A customer's events; 404 when the customer is hidden. */
export function listCustomerEvents(tx: Queryable, customerId: string, filters: EventFilters) {
  // The org is named (from the customer) so the planner uses the (customer_id, org_id, occurred_at) index.
  const scope = sql`e.customer_id = ${customerId}
    and e.org_id = (select c.org_id from public.customers c where c.id = ${customerId})`
  return listEvents(tx, scope, assertCustomerVisible(tx, customerId), filters)
}

/** An organization's events; 404 when the organization is hidden. */
export function listOrgEvents(tx: Queryable, orgId: string, filters: EventFilters) {
  return listEvents(tx, sql`e.org_id = ${orgId}`, assertOrgVisible(tx, orgId), filters)
}

/** Adds a note to a customer's timeline; undefined when the customer is hidden. */
export async function addNote(
  tx: Queryable,
  customerId: string,
  description: string,
): Promise<EventDbRow | undefined> {
  // Type and actor are fixed here and checked again by the insert policy.
  const [row] = await tx.query<EventDbRow>(
    sql`with e as (
          insert into public.timeline_events (org_id, customer_id, type, description, actor_id)
          select c.org_id, c.id, 'note', ${description}, auth.uid() from public.customers c where c.id = ${customerId}
          returning *
        )
        select ${eventColumns} from e`,
  )
  return row
}

/** A change a CRM made, as the service role: a `crm_sync` event at the time the CRM made it, without an actor. */
export async function recordCrmSync(
  tx: Queryable,
  event: {
    orgId: string
    customerId: string | null
    description: string
    occurredAtMs: number
    payload: Record<string, unknown>
  },
): Promise<void> {
  await tx.query(
    sql`insert into public.timeline_events (org_id, customer_id, type, description, occurred_at, actor_id, payload)
        values (${event.orgId}, ${event.customerId}, 'crm_sync', ${event.description},
                to_timestamp(${event.occurredAtMs}::float8 / 1000), null, ${sql.json(event.payload)})`,
  )
}
