import type { RouteHandler } from '@hono/zod-openapi'
import type { AppEnv } from '../../context.ts'
import { isoTimestamp } from '../../db/timestamps.ts'
import { createdResponse, sendCreated } from '../../http/created.ts'
import { decodeCursor } from '../../http/cursor.ts'
import { idempotent } from '../../http/idempotency.ts'
import { keysetPage } from '../../http/keyset-page.ts'
import { problems } from '../../problems/problem.ts'
import { type ActivityDbRow, activitySort, listActivities, logActivity } from '../../queries/activities.ts'
import { asCaller } from '../../queries/as-caller.ts'
import type * as routes from './activities.routes.ts'

const sort = activitySort.name

const toActivity = (row: ActivityDbRow) => ({
  id: row.id,
  org_id: row.org_id,
  customer_id: row.customer_id,
  kind: row.kind,
  outcome: row.outcome,
  summary: row.summary,
  occurred_at: isoTimestamp(row.occurred_at),
  actor_id: row.actor_id,
  created_at: isoTimestamp(row.created_at),
})

export const list: RouteHandler<typeof routes.list, AppEnv> = async (c) => {
  const { id } = c.req.valid('param')
  const { cursor, limit } = c.req.valid('query')
  const after = decodeCursor(cursor, sort)
  const rows = await asCaller(c, (tx) => listActivities(tx, id, { limit, after }))
  return c.json(keysetPage(rows, limit, sort, toActivity), 200)
}

export const create: RouteHandler<typeof routes.create, AppEnv> = async (c) => {
  const { id } = c.req.valid('param')
  const body = c.req.valid('json')
  const result = await asCaller(c, (tx) =>
    idempotent(c, tx, async () => {
      const activity = await logActivity(tx, {
        customerId: id,
        kind: body.kind,
        outcome: body.outcome,
        summary: body.summary ?? null,
        occurredAt: body.occurred_at ?? null,
      })
      if (!activity) throw problems.notFound('customer')
      // Activities are never edited: no ETag to send back, and no route of their own to point at.
      return createdResponse(toActivity(activity))
    }),
  )
  return sendCreated<ReturnType<typeof toActivity>>(c, result)
}
