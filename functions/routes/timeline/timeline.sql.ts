import type { KeysetSort } from '../../http/keyset-query.ts'
import { isoTimestamp } from '../../http/sql.ts'

/** The columns every event is read with. `e` is public.timeline_events. */
export const eventColumns =
  'e.id, e.org_id, e.customer_id, e.type, e.description, e.occurred_at, e.actor_id, e.payload'

/** Newest first; the id breaks ties between events of one transaction (they share now()). */
export const newestFirst: KeysetSort = {
  name: '-occurred_at',
  column: 'e.occurred_at',
  type: 'timestamptz',
  idColumn: 'e.id',
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

export const toEvent = (row: EventDbRow) => ({
  id: row.id,
  org_id: row.org_id,
  customer_id: row.customer_id,
  type: row.type as 'note',
  description: row.description,
  occurred_at: isoTimestamp(row.occurred_at),
  actor_id: row.actor_id,
  payload: row.payload,
})
