import type { RouteHandler } from '@hono/zod-openapi'
import type { AppEnv } from '../../context.ts'
import { isoTimestamp } from '../../db/timestamps.ts'
import { problems } from '../../problems/problem.ts'
import { asCaller } from '../../queries/as-caller.ts'
import { storedDailyMetrics, todayMetrics } from '../../queries/daily-metrics.ts'
import type * as routes from './metrics-daily.routes.ts'
import { todayCacheFor } from './today-cache.ts'

export const daily: RouteHandler<typeof routes.daily, AppEnv> = async (c) => {
  const { orgId } = c.req.valid('param')
  const { from, to } = c.req.valid('query')
  const { clock, db } = c.var.deps
  const now = clock()
  const today = todayCacheFor(db, clock)
  const row = await asCaller(c, async (tx) => {
    const stored = await storedDailyMetrics(tx, orgId, { from, to }, now)
    if (!stored || stored.today < from || stored.today > to) return stored
    const live = await today(orgId, stored.today, () => todayMetrics(tx, orgId, stored.today, now))
    return { ...stored, days: [...stored.days, live] }
  })
  if (!row) throw problems.notFound('organization')
  // Today's figures move: this caller's, never from a shared cache, always revalidated.
  c.header('Cache-Control', 'private, max-age=0')
  return c.json(
    {
      org_id: orgId,
      time_zone: row.time_zone,
      today: row.today,
      from,
      to,
      days: row.days.map((d) => ({ ...d, computed_at: isoTimestamp(d.computed_at) })),
    },
    200,
  )
}
