import type { RouteHandler } from '@hono/zod-openapi'
import type { AppEnv } from '../../context.ts'
import { isoTimestamp } from '../../db/timestamps.ts'
import { problems } from '../../problems/problem.ts'
import { asCaller } from '../../queries/as-caller.ts'
import { overview as readOverview } from '../../queries/metrics.ts'
import type * as routes from './metrics.routes.ts'

export const overview: RouteHandler<typeof routes.overview, AppEnv> = async (c) => {
  const { orgId } = c.req.valid('param')
  const asOf = c.var.deps.clock()
  const row = await asCaller(c, (tx) => readOverview(tx, orgId, asOf))
  if (!row?.visible) throw problems.notFound('organization')
  // Numbers of this moment, for this caller only: never from a shared cache, always revalidated.
  c.header('Cache-Control', 'private, max-age=0')
  return c.json(
    {
      org_id: orgId,
      as_of: asOf.toISOString(),
      customers_by_phase: row.customers_by_phase,
      new_customers: {
        last_30_days: row.last_30_days,
        previous_30_days: row.previous_30_days,
        change_percent: row.change_percent,
      },
      monthly_service_hours: row.monthly_service_hours,
      service_hours_by_service: row.service_hours_by_service,
      processes_by_status: row.processes_by_status,
      recent_events: row.recent_events.map((e) => ({ ...e, occurred_at: isoTimestamp(e.occurred_at) })),
    },
    200,
  )
}
