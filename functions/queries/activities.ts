import type { Queryable } from '../db/database.ts'
import { sql } from '../db/sql.ts'
import type { ActivityKind, ActivityOutcome } from '../domain/vocabulary.ts'
import { type KeysetAfter, type KeysetRow, type KeysetSort, keysetClauses } from './keyset.ts'
import { assertCustomerVisible, readAfterCheck } from './visibility.ts'

/**
 * Logged activities (issue 19): calls, emails and meetings with how they went.
 * Whoever may edit the customer logs them, in their own name (the database
 * stamps actor_id and writes the timeline entry); members read them; nobody
 * edits or deletes one (20261205100600_activities.sql).
 */

const columns = sql`a.id, a.org_id, a.customer_id, a.kind, a.outcome, a.summary, a.occurred_at, a.actor_id, a.created_at`

/** Latest first; the id breaks ties between activities logged for one moment. */
export const activitySort: KeysetSort = {
  name: '-occurred_at',
  column: sql`a.occurred_at`,
  type: sql`timestamptz`,
  idColumn: sql`a.id`,
}

export type ActivityDbRow = {
  id: string
  org_id: string
  customer_id: string
  kind: ActivityKind
  outcome: ActivityOutcome
  summary: string | null
  occurred_at: Date | string
  actor_id: string | null
  created_at: Date | string
}

/** One keyset page (and one row more) of a customer's activities, latest first; 404 when the customer is hidden. */
export function listActivities(
  tx: Queryable,
  customerId: string,
  filters: { limit: number; after?: KeysetAfter | undefined },
): Promise<(ActivityDbRow & KeysetRow)[]> {
  const page = keysetClauses(activitySort, filters.after, filters.limit)
  // The org is named (from the customer) so the planner uses the (customer_id, org_id, occurred_at, id) index.
  return readAfterCheck(
    assertCustomerVisible(tx, customerId),
    tx.query<ActivityDbRow & KeysetRow>(
      sql`select ${columns}, ${page.sortValue} as sort_value
          from public.activities a
          where a.customer_id = ${customerId}
            and a.org_id = (select c.org_id from public.customers c where c.id = ${customerId})
            and ${page.after}
          order by ${page.orderBy}
          limit ${page.limit}`,
    ),
  )
}

export interface NewActivity {
  customerId: string
  kind: ActivityKind
  outcome: ActivityOutcome
  summary: string | null
  /** Null: now. */
  occurredAt: string | null
}

/**
 * Logs an activity on a customer, in the customer's organization. No row when
 * the customer is hidden (404); the policy refuses (42501, a 403) when the
 * caller may not edit it; one dated in the future breaks activities_occurred_in_past (422).
 */
export async function logActivity(tx: Queryable, activity: NewActivity): Promise<ActivityDbRow | undefined> {
  const [row] = await tx.query<ActivityDbRow>(
    sql`with a as (
          insert into public.activities (org_id, customer_id, kind, outcome, summary, occurred_at)
          select c.org_id, c.id, ${activity.kind}, ${activity.outcome}, ${activity.summary},
                 coalesce(${activity.occurredAt}::timestamptz, now())
          from public.customers c
          where c.id = ${activity.customerId}
          returning *
        )
        select ${columns} from a`,
  )
  return row
}
