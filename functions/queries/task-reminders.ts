import type { Queryable } from '../db/database.ts'
import { sql } from '../db/sql.ts'

/**
 * Notifies the assignee of every open task past its due time, once per task
 * (private.notify_overdue_tasks, service role only); returns how many it sent.
 */
export async function notifyOverdueTasks(tx: Queryable, now: Date): Promise<number> {
  const [row] = await tx.query<{ sent: number }>(
    sql`select private.notify_overdue_tasks(${now}::timestamptz) as sent`,
  )
  return Number(row?.sent ?? 0)
}
