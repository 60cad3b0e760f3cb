import { describe, expect, it } from 'vitest'
import { customerPhases } from '../../../../functions/domain/vocabulary.ts'
import type { DailyMetrics, DailyMetricsDay } from '../../api/types.ts'
import { dayAxis, lastKnown, rangeDays, sumKnown, trendSeries } from './trend-series.ts'

const zeros = Object.fromEntries(customerPhases.map((p) => [p, 0])) as DailyMetricsDay['customers_by_phase']

function day(dayIso: string, overrides: Partial<DailyMetricsDay> = {}): DailyMetricsDay {
  return {
    day: dayIso,
    live: false,
    customers_by_phase: { ...zeros, lead: 3, won: 1 },
    new_customers: 2,
    deleted_customers: 0,
    phase_in: zeros,
    phase_out: zeros,
    conversions_won: 0,
    conversions_lost: 0,
    events_by_type: {} as DailyMetricsDay['events_by_type'],
    active_users: 1,
    monthly_service_hours: 10,
    processes_by_status: null,
    pipeline_value: null,
    weighted_forecast: null,
    computed_at: `${dayIso}T02:00:00Z`,
    ...overrides,
  }
}

const daily = (today: string, days: DailyMetricsDay[]): DailyMetrics => ({
  org_id: '00000000-0000-0000-0000-000000000000',
  time_zone: 'Europe/Berlin',
  today,
  ...rangeDays(30, today),
  days,
})

describe('trend series', () => {
  it('should span the range ending today, both ends included, across month ends', () => {
    expect(rangeDays(30, '2026-03-05')).toEqual({ from: '2026-02-04', to: '2026-03-05' })
    expect(dayAxis('2026-02-27', '2026-03-02')).toEqual([
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
      '2026-03-02',
    ])
    expect(dayAxis('2026-01-01', '2026-12-31')).toHaveLength(365)
  })

  it('should leave days the job did not compute as gaps, not zeros', () => {
    const series = trendSeries(
      daily('2026-03-05', [
        day('2026-03-02'),
        day('2026-03-04', { new_customers: 0, monthly_service_hours: null }),
        day('2026-03-05', { live: true, new_customers: 5 }),
      ]),
      30,
    )
    expect(series.axis).toHaveLength(30)
    expect(series.newCustomers.slice(-4)).toEqual([2, null, 0, 5])
    expect(series.serviceHours.slice(-4)).toEqual([10, null, null, 10])
    expect(series.customersByPhase.lead.slice(-4)).toEqual([3, null, 3, 3])
    expect(series.customersByPhase.qualified.slice(-4)).toEqual([0, null, 0, 0])
    expect(series.historyDays).toBe(2)
    expect(series.days).toHaveLength(3)
  })

  it('should count only the live day as no history', () => {
    const series = trendSeries(daily('2026-03-05', [day('2026-03-05', { live: true })]), 90)
    expect(series.historyDays).toBe(0)
    expect(series.axis).toHaveLength(90)
  })

  it('should sum and read the last value around gaps', () => {
    expect(sumKnown([1, null, 2])).toBe(3)
    expect(lastKnown([1, 4, null])).toBe(4)
    expect(lastKnown([null, null])).toBeUndefined()
  })
})
