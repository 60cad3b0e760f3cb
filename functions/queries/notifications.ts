import type { Queryable } from '../db/database.ts'
import { sql } from '../db/sql.ts'
import { type KeysetAfter, type KeysetRow, type KeysetSort, keysetClauses } from './keyset.ts'
import { assertOrgVisible, readAfterCheck } from './visibility.ts'

/**
 * Notifications (issue 19): the caller's own, in one organization. Only the
 * database writes them (private.notify_overdue_tasks); the recipient reads
 * them and says whether they are read. The policies of
 * 20261205100500_notifications.sql limit every statement here to the caller's
 * rows; the `user_id = auth.uid()` condition is what lets the planner use
 * the (user_id, org_id, created_at, id) index.
 */

// The customer a notification is about, through its task, so the list can name and link it.
const columns = sql`n.id, n.org_id, n.kind, n.task_id, n.title, n.created_at, n.read_at,
  (select t.customer_id from public.tasks t where t.id = n.task_id and t.org_id = n.org_id) as customer_id,
  (select c.name from public.tasks t join public.customers c on c.id = t.customer_id and c.org_id = t.org_id
   where t.id = n.task_id and t.org_id = n.org_id) as customer_name`
const mine = sql`n.user_id = (select auth.uid())`

/** Newest first; the id breaks ties between notifications of one run (they share now()). */
export const notificationSort: KeysetSort = {
  name: '-created_at',
  column: sql`n.created_at`,
  type: sql`timestamptz`,
  idColumn: sql`n.id`,
}

export type NotificationDbRow = {
  id: string
  org_id: string
  kind: string
  task_id: string | null
  title: string
  created_at: Date | string
  read_at: Date | string | null
  customer_id: string | null
  customer_name: string | null
}

/** One keyset page (and one row more), newest first; 404 when the organization is hidden. */
export function listNotifications(
  tx: Queryable,
  orgId: string,
  filters: { unread: boolean; limit: number; after?: KeysetAfter | undefined },
): Promise<(NotificationDbRow & KeysetRow)[]> {
  const page = keysetClauses(notificationSort, filters.after, filters.limit)
  return readAfterCheck(
    assertOrgVisible(tx, orgId),
    tx.query<NotificationDbRow & KeysetRow>(
      sql`select ${columns}, ${page.sortValue} as sort_value
          from public.notifications n
          where ${mine} and n.org_id = ${orgId} ${filters.unread ? sql`and n.read_at is null` : sql.empty}
            and ${page.after}
          order by ${page.orderBy}
          limit ${page.limit}`,
    ),
  )
}

/** How many of the caller's notifications in the organization are unread: the badge. */
export async function unreadCount(tx: Queryable, orgId: string): Promise<number> {
  const [row] = await tx.query<{ n: number }>(
    sql`select count(*)::int as n from public.notifications n
        where ${mine} and n.org_id = ${orgId} and n.read_at is null`,
  )
  return row?.n ?? 0
}

/**
 * Marks one notification read (when it was first read stays) or unread.
 * Undefined when it is not the caller's: nobody else's notification exists for them.
 */
export async function markNotification(
  tx: Queryable,
  id: string,
  read: boolean,
): Promise<NotificationDbRow | undefined> {
  const [row] = await tx.query<NotificationDbRow>(
    sql`update public.notifications n
        set read_at = ${read ? sql`coalesce(n.read_at, now())` : sql`null`}
        where n.id = ${id} and ${mine}
        returning ${columns}`,
  )
  return row
}

/** Marks every unread notification of the caller in the organization read; returns how many. */
export async function markAllRead(tx: Queryable, orgId: string): Promise<number> {
  const rows = await tx.query(
    sql`update public.notifications n set read_at = now()
        where ${mine} and n.org_id = ${orgId} and n.read_at is null
        returning n.id`,
  )
  return rows.length
}
