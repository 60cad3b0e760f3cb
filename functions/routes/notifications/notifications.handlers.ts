import type { RouteHandler } from '@hono/zod-openapi'
import type { AppEnv } from '../../context.ts'
import { isoTimestamp } from '../../db/timestamps.ts'
import { decodeCursor } from '../../http/cursor.ts'
import { keysetPage } from '../../http/keyset-page.ts'
import { problems } from '../../problems/problem.ts'
import { asCaller } from '../../queries/as-caller.ts'
import {
  listNotifications,
  markAllRead,
  markNotification,
  type NotificationDbRow,
  notificationSort,
  unreadCount,
} from '../../queries/notifications.ts'
import { assertOrgVisible } from '../../queries/visibility.ts'
import type * as routes from './notifications.routes.ts'

const sort = notificationSort.name

const toNotification = (row: NotificationDbRow) => ({
  id: row.id,
  org_id: row.org_id,
  kind: row.kind as 'task_overdue',
  task_id: row.task_id,
  title: row.title,
  created_at: isoTimestamp(row.created_at),
  read_at: row.read_at === null ? null : isoTimestamp(row.read_at),
  customer_id: row.customer_id,
  customer_name: row.customer_name,
})

export const list: RouteHandler<typeof routes.list, AppEnv> = async (c) => {
  const { orgId } = c.req.valid('param')
  const { cursor, limit, unread } = c.req.valid('query')
  const after = decodeCursor(cursor, sort)
  const [rows, unread_count] = await asCaller(c, (tx) =>
    Promise.all([listNotifications(tx, orgId, { unread, limit, after }), unreadCount(tx, orgId)]),
  )
  return c.json({ ...keysetPage(rows, limit, sort, toNotification), unread_count }, 200)
}

export const markAll: RouteHandler<typeof routes.markAll, AppEnv> = async (c) => {
  const { orgId } = c.req.valid('param')
  const marked = await asCaller(c, async (tx) => {
    await assertOrgVisible(tx, orgId)
    return markAllRead(tx, orgId)
  })
  return c.json({ marked }, 200)
}

export const patch: RouteHandler<typeof routes.patch, AppEnv> = async (c) => {
  const { id } = c.req.valid('param')
  const { read } = c.req.valid('json')
  const row = await asCaller(c, (tx) => markNotification(tx, id, read))
  if (!row) throw problems.notFound('notification')
  return c.json(toNotification(row), 200)
}
