import { describe, expect, it } from 'vitest'
import type { SalesFigures } from '../../api/types.ts'
import { moneyKpiFigures } from './money-kpis.ts'

const closed = (won: number, value: string) => ({
  won,
  won_value: value,
  starts_at: '2026-03-01T00:00:00Z',
  ends_at: '2026-03-05T10:00:00Z',
})
const window = (won: number, lost: number, rate: number | null) => ({
  won,
  lost,
  rate,
  average_days_to_close: null,
  starts_at: '2025-12-05T10:00:00Z',
  ends_at: '2026-03-05T10:00:00Z',
})

/** A response of GET /metrics/sales with what a test changes. */
function salesFigures(change: {
  monthAgo?: SalesFigures['pipeline']['month_ago']
  won?: [string, string]
  rates?: [number | null, number | null]
}): SalesFigures {
  const [now, before] = change.rates ?? [0.5, 0.4]
  const amounts = { customers: 0, value: '0.00', weighted_value: '0.00' }
  return {
    org_id: '00000000-0000-4000-8000-000000000001',
    as_of: '2026-03-05T10:00:00Z',
    currency: 'EUR',
    pipeline: {
      customers: 12,
      value: '120500.50',
      weighted_value: '40100.25',
      by_phase: [],
      month_ago: change.monthAgo ?? null,
    },
    by_phase: [],
    forecast: { months: [], overdue: amounts, undated: amounts },
    won: {
      month: {
        ...closed(3, change.won?.[0] ?? '9000.00'),
        previous: closed(2, change.won?.[1] ?? '6000.00'),
      },
      quarter: { ...closed(5, '15000.00'), previous: closed(4, '12000.00') },
    },
    win_rate: { ...window(5, 5, now), days: 90, previous: window(4, 6, before) },
    stuck: { total: 0, customers: [] },
  }
}

describe('money KPI figures', () => {
  it('should compare the pipeline with a month ago, exactly, and say when there is no history yet', () => {
    const none = moneyKpiFigures(salesFigures({}))
    expect(none.pipeline).toMatchObject({ amount: '120500.50', previous: null, change: null, trend: 'new' })
    expect(none.weighted.trend).toBe('new')
    expect(none.monthAgo).toBeNull()

    const k = moneyKpiFigures(
      salesFigures({ monthAgo: { day: '2026-02-05', value: '100000.00', weighted_value: '50000.25' } }),
    )
    expect(k.pipeline.change).toEqual({ difference: '20500.50', percent: 20.5 })
    expect(k.pipeline.trend).toBe('up')
    expect(k.weighted.change).toEqual({ difference: '-9900.00', percent: -19.8 })
    expect(k.weighted.trend).toBe('down')
    expect(k.monthAgo).toBe('2026-02-05')
  })

  it('should compare this month’s wins with the same span of last month, from nothing too', () => {
    expect(moneyKpiFigures(salesFigures({})).wonThisMonth).toMatchObject({
      customers: 3,
      previousCustomers: 2,
      change: { difference: '3000.00', percent: 50 },
      trend: 'up',
    })
    expect(moneyKpiFigures(salesFigures({ won: ['500.00', '0.00'] })).wonThisMonth).toMatchObject({
      change: { difference: '500.00', percent: null },
      trend: 'up',
    })
    expect(moneyKpiFigures(salesFigures({ won: ['0.00', '0.00'] })).wonThisMonth.trend).toBe('flat')
  })

  it('should move the win rate against the window before, and have no trend when either is empty', () => {
    expect(moneyKpiFigures(salesFigures({ rates: [0.5, 0.4] })).winRate).toMatchObject({
      rate: 0.5,
      previous: 0.4,
      trend: 'up',
      won: 5,
      lost: 5,
      days: 90,
    })
    expect(moneyKpiFigures(salesFigures({ rates: [0.3, 0.4] })).winRate.trend).toBe('down')
    expect(moneyKpiFigures(salesFigures({ rates: [0.4, 0.4] })).winRate.trend).toBe('flat')
    expect(moneyKpiFigures(salesFigures({ rates: [0.4, null] })).winRate.trend).toBe('new')
    expect(moneyKpiFigures(salesFigures({ rates: [null, 0.4] })).winRate.trend).toBe('new')
  })
})
