import { customerPhases } from '../../../../functions/domain/vocabulary.ts'
import type { DailyMetrics, DailyMetricsDay, Phase } from '../../api/types.ts'
import { addDays } from '../../format/dates.ts'
import type { Range } from '../../router/routes.ts'

/** The `range` local days ending with `today`, both ends included: what /metrics/daily is asked for. */
export function rangeDays(range: Range, today: string): { from: string; to: string } {
  return { from: addDays(today, -(range - 1)), to: today }
}

/** Every calendar day from `from` to `to`, included: the x axis, so a missing day is a gap, not skipped. */
export function dayAxis(from: string, to: string): string[] {
  const days: string[] = []
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day)
  return days
}

/**
 * The trend charts' series on a full day axis. A day the nightly job has not
 * computed is null (a gap), never zero; so is service hours on a backfilled
 * day (no snapshot was taken).
 */
export interface TrendSeries {
  axis: string[]
  /** The days the API answered, oldest first (stored ones and today's live one). */
  days: DailyMetricsDay[]
  /** Stored (not live) days: none means the nightly job has not run yet. */
  historyDays: number
  newCustomers: (number | null)[]
  serviceHours: (number | null)[]
  customersByPhase: Record<Phase, (number | null)[]>
}

export function trendSeries(daily: DailyMetrics, range: Range): TrendSeries {
  const { from, to } = rangeDays(range, daily.today)
  const axis = dayAxis(from, to)
  const days = daily.days.filter((d) => d.day >= from && d.day <= to)
  const byDay = new Map(days.map((d) => [d.day, d]))
  const pick = <T>(read: (d: DailyMetricsDay) => T | null) =>
    axis.map((day) => {
      const d = byDay.get(day)
      return d ? read(d) : null
    })
  const customersByPhase = Object.fromEntries(
    customerPhases.map((phase) => [phase, pick((d) => d.customers_by_phase[phase] ?? 0)]),
  ) as Record<Phase, (number | null)[]>
  return {
    axis,
    days,
    historyDays: days.filter((d) => !d.live).length,
    newCustomers: pick((d) => d.new_customers),
    serviceHours: pick((d) => d.monthly_service_hours),
    customersByPhase,
  }
}

/** The sum of the numbers, ignoring gaps. */
export const sumKnown = (values: readonly (number | null)[]) =>
  values.reduce<number>((sum, v) => sum + (v ?? 0), 0)

/** The last value that is not a gap, if any. */
export function lastKnown<T>(values: readonly (T | null)[]): T | undefined {
  for (let i = values.length - 1; i >= 0; i--) {
    const v = values[i]
    if (v !== null && v !== undefined) return v
  }
  return undefined
}
