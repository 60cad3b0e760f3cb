import type { RouteHandler } from '@hono/zod-openapi'
import type { AppEnv } from '../../context.ts'
import { asCaller } from '../../http/as-caller.ts'
import { isoTimestamp } from '../../http/sql.ts'
import { problems } from '../../problems/problem.ts'
import type * as routes from './metrics-daily.routes.ts'
import { type DailyMetricsDbRow, dailyMetricsSql } from './metrics-daily.sql.ts'

export const daily: RouteHandler<typeof routes.daily, AppEnv> = async (c) => {
  const { orgId } = c.req.valid('param')
  const { from, to } = c.req.valid('query')
  const now = c.var.deps.clock()
  const [row] = await asCaller(c, (tx) =>
    tx.query<DailyMetricsDbRow>(dailyMetricsSql, [orgId, from, to, now.toISOString()]),
  )
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
