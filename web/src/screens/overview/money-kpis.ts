import type { SalesFigures } from '../../api/types.ts'
import { type Amount, type MoneyChange, moneyChange } from '../../format/money.ts'
import type { Trend } from './kpi.ts'

/** An amount against an earlier one; no earlier one (no history yet) is trend `new`. */
export interface MoneyFigure {
  amount: Amount
  previous: Amount | null
  change: MoneyChange | null
  trend: Trend
}

function against(amount: Amount, previous: Amount | null): MoneyFigure {
  if (previous === null) return { amount, previous, change: null, trend: 'new' }
  const change = moneyChange(amount, previous)
  const trend = change.difference.startsWith('-') ? 'down' : /[1-9]/.test(change.difference) ? 'up' : 'flat'
  return { amount, previous, change, trend }
}

/**
 * The money KPIs from GET /metrics/sales alone, each with the change the
 * overview shows: the pipeline and the weighted forecast against what the
 * nightly run stored a month ago (none until a month of snapshots exists),
 * this month's wins against the same span of last month, the win rate
 * against the window before (in percentage points; none when that window
 * closed nothing).
 */
export function moneyKpiFigures(sales: SalesFigures) {
  const { pipeline, won, win_rate } = sales
  const rate = win_rate.rate
  const previousRate = win_rate.previous.rate
  const rateTrend: Trend =
    rate === null || previousRate === null
      ? 'new'
      : rate > previousRate
        ? 'up'
        : rate < previousRate
          ? 'down'
          : 'flat'
  return {
    currency: sales.currency,
    pipeline: {
      ...against(pipeline.value, pipeline.month_ago?.value ?? null),
      customers: pipeline.customers,
    },
    weighted: against(pipeline.weighted_value, pipeline.month_ago?.weighted_value ?? null),
    monthAgo: pipeline.month_ago?.day ?? null,
    wonThisMonth: {
      ...against(won.month.won_value, won.month.previous.won_value),
      customers: won.month.won,
      previousCustomers: won.month.previous.won,
      startsAt: won.month.starts_at,
    },
    winRate: {
      rate,
      previous: previousRate,
      trend: rateTrend,
      won: win_rate.won,
      lost: win_rate.lost,
      days: win_rate.days,
    },
  }
}

export type MoneyKpis = ReturnType<typeof moneyKpiFigures>
