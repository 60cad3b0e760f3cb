import { openProcessStatuses, type ProcessStatus } from '../../../../functions/domain/vocabulary.ts'
import type { MetricsOverview } from '../../api/types.ts'
import { phaseLabels, processStatusLabels } from '../../domain.ts'
import { formatChange, formatCount, formatHours } from '../../format/numbers.ts'
import { html } from '../../html.ts'
import { Kpi, KpiChange } from './kpi.ts'
import { kpiFigures } from './kpis.ts'

/**
 * The customers and service figures, below the money (MoneyKpiCards): how
 * many customers, new ones, service hours and open processes.
 */
export function KpiCards({ overview }: { overview: MetricsOverview }) {
  const k = kpiFigures(overview)
  const statusCount = (s: ProcessStatus) =>
    overview.processes_by_status.find((p) => p.status === s)?.count ?? 0
  const change = formatChange(k.changePercent)
  const topServices = overview.service_hours_by_service.slice(0, 3)
  return html`<div class="kpi-grid">
    <${Kpi}
      level=${3}
      id="kpi-customers"
      label="Customers"
      value=${formatCount(k.totalCustomers)}
      spoken=${`${formatCount(k.totalCustomers)} customers: ${overview.customers_by_phase.map((p) => `${p.count} ${phaseLabels[p.phase]}`).join(', ')}.`}
    >
      <div class="kpi-phase-bar" aria-hidden="true">
        ${overview.customers_by_phase.map(
          (p) =>
            p.count > 0 &&
            html`<span key=${p.phase} class=${`phase-${p.phase}`} style=${{ flexGrow: p.count }}></span>`,
        )}
      </div>
      <ul class="kpi-breakdown" aria-hidden="true">
        ${overview.customers_by_phase.map(
          (p) => html`<li key=${p.phase}>
            <span class=${`kpi-dot phase-${p.phase}`}></span>${phaseLabels[p.phase]}
            <strong>${formatCount(p.count)}</strong>
          </li>`,
        )}
      </ul>
    </${Kpi}>
    <${Kpi}
      level=${3}
      id="kpi-new"
      label="New customers, 30 days"
      value=${formatCount(k.newCustomers)}
      spoken=${`${formatCount(k.newCustomers)} new customers in the last 30 days; ${
        k.trend === 'new'
          ? 'none in the 30 days before.'
          : `${change} against ${formatCount(k.previousNewCustomers)} in the 30 days before.`
      }`}
    >
      <${KpiChange} trend=${k.trend}>
        ${k.trend === 'new' ? 'New: none in the previous 30 days' : `${change} vs previous 30 days`}
      </${KpiChange}>
      <${MiniBars}
        rows=${[
          { label: 'Last 30 days', value: k.newCustomers, text: formatCount(k.newCustomers) },
          { label: 'Previous 30', value: k.previousNewCustomers, text: formatCount(k.previousNewCustomers) },
        ]}
      />
    </${Kpi}>
    <${Kpi}
      level=${3}
      id="kpi-hours"
      label="Monthly service hours"
      value=${formatHours(k.monthlyServiceHours).replace(/ h$/, '')}
      unit="h"
      spoken=${`${formatHours(k.monthlyServiceHours)} of services a month${topServices[0] ? `; the most: ${topServices.map((s) => `${s.service} ${formatHours(s.hours)}`).join(', ')}` : ''}.`}
    >
      <p class="kpi-sub" aria-hidden="true">Largest services</p>
      <${MiniBars}
        rows=${topServices.map((s) => ({ label: s.service, value: s.hours, text: formatHours(s.hours) }))}
        total=${k.monthlyServiceHours}
      />
    </${Kpi}>
    <${Kpi}
      level=${3}
      id="kpi-processes"
      label="Open processes"
      value=${formatCount(k.openProcesses)}
      spoken=${`${formatCount(k.openProcesses)} open processes: ${openProcessStatuses.map((s) => `${statusCount(s)} ${processStatusLabels[s].toLowerCase()}`).join(', ')}.`}
    >
      <p class="kpi-sub" aria-hidden="true">Planned, in progress or blocked</p>
      <${MiniBars}
        rows=${openProcessStatuses.map((s) => ({
          label: processStatusLabels[s],
          value: statusCount(s),
          text: formatCount(statusCount(s)),
          tone: s,
        }))}
      />
    </${Kpi}>
  </div>`
}

interface MiniBar {
  label: string
  value: number
  text: string
  tone?: string
}

/** A few values as proportional bars (of `total`, or of the largest), for a glance; hidden from screen readers. */
function MiniBars({ rows, total }: { rows: MiniBar[]; total?: number }) {
  const max = total ?? Math.max(1, ...rows.map((r) => r.value))
  return html`<ul class="kpi-bars" aria-hidden="true">
    ${rows.map(
      (r) => html`<li key=${r.label}>
        <span class="kpi-bars-label" title=${r.label}>${r.label}</span>
        <strong class="kpi-bars-value">${r.text}</strong>
        <span class="kpi-bars-track">
          <span class=${`kpi-bars-fill ${r.tone ? `kpi-bars-${r.tone}` : ''}`} style=${{ width: `${max > 0 ? (100 * r.value) / max : 0}%` }}></span>
        </span>
      </li>`,
    )}
  </ul>`
}
