import type { RouteHandler } from '@hono/zod-openapi'
import type { AppEnv } from '../../context.ts'
import { isoTimestamp } from '../../db/timestamps.ts'
import { problems } from '../../problems/problem.ts'
import { asCaller } from '../../queries/as-caller.ts'
import {
  type ClosingPeriod,
  type ClosingsRow,
  readClosings,
  readFiguresContext,
  readForecastByCloseMonth,
  readPipelineMonthAgo,
  readStuckCustomers,
  readValueByPhase,
} from '../../queries/sales-figures.ts'
import type * as routes from './sales-figures.routes.ts'

const stuckListed = 10

export const salesFigures: RouteHandler<typeof routes.salesFigures, AppEnv> = async (c) => {
  const { orgId } = c.req.valid('param')
  const { win_rate_days: winRateDays } = c.req.valid('query')
  const now = c.var.deps.clock()
  // Six reads sent together in one transaction as the caller (one snapshot, no waits between them).
  const [context, phases, buckets, closings, stuck, monthAgo] = await asCaller(c, (tx) =>
    Promise.all([
      readFiguresContext(tx, orgId, now),
      readValueByPhase(tx, orgId),
      readForecastByCloseMonth(tx, orgId, now),
      readClosings(tx, orgId, now, winRateDays),
      readStuckCustomers(tx, orgId, stuckListed),
      readPipelineMonthAgo(tx, orgId, now),
    ]),
  )
  const [org] = context
  if (!org) throw problems.notFound('organization')
  const [first] = phases
  const byPeriod = new Map(closings.map((row) => [row.period, row]))
  const period = (name: ClosingPeriod): ClosingsRow => {
    const row = byPeriod.get(name)
    if (!row) throw new Error(`the closings statement left out the period ${name}`)
    return row
  }
  const closed = (row: ClosingsRow) => ({
    won: row.won,
    won_value: row.won_value,
    starts_at: isoTimestamp(row.starts_at),
    ends_at: isoTimestamp(row.ends_at),
  })
  const winRate = (row: ClosingsRow) => ({
    won: row.won,
    lost: row.lost,
    rate: row.won + row.lost === 0 ? null : Math.round((row.won / (row.won + row.lost)) * 1000) / 1000,
    average_days_to_close: row.average_days_to_close === null ? null : Number(row.average_days_to_close),
    starts_at: isoTimestamp(row.starts_at),
    ends_at: isoTimestamp(row.ends_at),
  })
  const amounts = (row: { customers: number; value: string; weighted_value: string }) => ({
    customers: row.customers,
    value: row.value,
    weighted_value: row.weighted_value,
  })
  const bucket = (name: string) => {
    const row = buckets.find((b) => b.bucket === name)
    if (!row) throw new Error(`the forecast statement left out ${name}`)
    return amounts(row)
  }
  const [snapshot] = monthAgo
  // Figures of this moment, for this caller only: never from a shared cache.
  c.header('Cache-Control', 'private, max-age=0')
  return c.json(
    {
      org_id: orgId,
      as_of: now.toISOString(),
      currency: org.currency,
      pipeline: {
        customers: first?.total_customers ?? 0,
        value: first?.total_value ?? '0',
        weighted_value: first?.total_weighted_value ?? '0',
        by_phase: phases
          .filter((row) => row.open)
          .map((row) => ({ phase: row.phase, probability: row.probability ?? 0, ...amounts(row) })),
        month_ago: snapshot
          ? { day: snapshot.day, value: snapshot.pipeline_value, weighted_value: snapshot.weighted_forecast }
          : null,
      },
      by_phase: phases.map((row) => ({ phase: row.phase, ...amounts(row) })),
      forecast: {
        months: buckets
          .filter((b) => /^\d{4}-\d{2}$/.test(b.bucket))
          .map((b) => ({ month: b.bucket, ...amounts(b) })),
        overdue: bucket('overdue'),
        undated: bucket('undated'),
      },
      won: {
        month: { ...closed(period('month')), previous: closed(period('previous_month')) },
        quarter: { ...closed(period('quarter')), previous: closed(period('previous_quarter')) },
      },
      win_rate: {
        days: winRateDays,
        ...winRate(period('win_rate')),
        previous: winRate(period('previous_win_rate')),
      },
      stuck: {
        total: stuck[0]?.total ?? 0,
        customers: stuck.map(({ total: _total, ...customer }) => ({ ...customer })),
      },
    },
    200,
  )
}
