import { describe, expect, it } from 'vitest'
import type { MetricsOverview } from '../../api/types.ts'
import { kpiFigures } from './kpis.ts'

const overview = (change: number | null): MetricsOverview => ({
  org_id: 'org',
  as_of: '2026-03-05T10:00:00Z',
  customers_by_phase: [
    { phase: 'lead', count: 4 },
    { phase: 'won', count: 2 },
    { phase: 'lost', count: 1 },
  ],
  new_customers: { last_30_days: 6, previous_30_days: change === null ? 0 : 4, change_percent: change },
  monthly_service_hours: 12.5,
  service_hours_by_service: [],
  processes_by_status: [
    { status: 'planned', count: 3 },
    { status: 'in_progress', count: 2 },
    { status: 'blocked', count: 1 },
    { status: 'done', count: 9 },
    { status: 'cancelled', count: 4 },
  ],
  recent_events: [],
})

describe('KPI figures', () => {
  it('should total customers and count planned, in-progress and blocked processes as open', () => {
    const figures = kpiFigures(overview(50))
    expect(figures.totalCustomers).toBe(7)
    expect(figures.openProcesses).toBe(6)
    expect(figures.monthlyServiceHours).toBe(12.5)
    expect(figures.trend).toBe('up')
  })

  it('should call a change without a previous period new, and tell rises from falls', () => {
    expect(kpiFigures(overview(null)).trend).toBe('new')
    expect(kpiFigures(overview(-20)).trend).toBe('down')
    expect(kpiFigures(overview(0)).trend).toBe('flat')
  })
})
