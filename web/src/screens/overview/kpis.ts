import { openProcessStatuses } from '../../../../functions/domain/vocabulary.ts'
import type { MetricsOverview } from '../../api/types.ts'

/** The figures of the KPI cards, from the metrics endpoint alone. */
export function kpiFigures(overview: MetricsOverview) {
  const totalCustomers = overview.customers_by_phase.reduce((sum, p) => sum + p.count, 0)
  const openProcesses = overview.processes_by_status
    .filter((p) => (openProcessStatuses as readonly string[]).includes(p.status))
    .reduce((sum, p) => sum + p.count, 0)
  const { last_30_days, previous_30_days, change_percent } = overview.new_customers
  const trend: 'up' | 'down' | 'flat' | 'new' =
    change_percent === null ? 'new' : change_percent > 0 ? 'up' : change_percent < 0 ? 'down' : 'flat'
  return {
    totalCustomers,
    openProcesses,
    newCustomers: last_30_days,
    previousNewCustomers: previous_30_days,
    changePercent: change_percent,
    trend,
    monthlyServiceHours: overview.monthly_service_hours,
  }
}
