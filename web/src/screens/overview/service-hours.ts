import type { ChartConfiguration } from 'chart.js'
import type { MetricsOverview } from '../../api/types.ts'
import { ChartPanel } from '../../charts/chart-panel.ts'
import { seriesPalette } from '../../charts/theme.ts'
import { Empty } from '../../components/states.ts'
import { formatHours } from '../../format/numbers.ts'
import { html } from '../../html.ts'

/** Whether the doughnut is drawn: with no services there is nothing to divide. */
export const hasServiceHours = (overview: MetricsOverview) =>
  overview.service_hours_by_service.some((s) => s.hours > 0)

/** Monthly service hours split by service (the API sends the eight largest and "Other"). */
export function ServiceHours(props: { overview: MetricsOverview; onDrawn: (id: string) => void }) {
  const services = props.overview.service_hours_by_service
  if (!hasServiceHours(props.overview))
    return html`<section class="card chart-panel" aria-labelledby="chart-services-title">
      <h2 id="chart-services-title" class="chart-title">Service hours by service</h2>
      <${Empty}>No services with monthly hours yet.</${Empty}>
    </section>`
  const build = (): ChartConfiguration<'doughnut'> => ({
    type: 'doughnut',
    data: {
      labels: services.map((s) => s.service),
      datasets: [
        {
          label: 'Hours a month',
          data: services.map((s) => s.hours),
          backgroundColor: services.map((_, i) => seriesPalette[i % seriesPalette.length] as string),
          borderWidth: 2,
          borderColor: '#ffffff',
        },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      cutout: '58%',
      plugins: {
        legend: { position: 'bottom', labels: { boxWidth: 12, boxHeight: 12 } },
        tooltip: { callbacks: { label: (item) => ` ${item.label}: ${formatHours(Number(item.raw))}` } },
      },
    },
  })
  return html`<${ChartPanel}
    id="chart-services"
    className="chart-tall"
    title="Service hours by service"
    note=${`${formatHours(props.overview.monthly_service_hours)} a month in total`}
    summary=${`Doughnut chart of monthly service hours by service: ${services.map((s) => `${s.service} ${formatHours(s.hours)}`).join(', ')}.`}
    build=${build}
    deps=${[services]}
    onDrawn=${props.onDrawn}
    table=${html`<table class="chart-table" aria-label="Monthly service hours by service">
      <thead><tr><th scope="col">Service</th><th scope="col" class="num">Hours a month</th></tr></thead>
      <tbody>
        ${services.map(
          (s) =>
            html`<tr key=${s.service}><th scope="row">${s.service}</th><td class="num">${formatHours(s.hours)}</td></tr>`,
        )}
      </tbody>
    </table>`}
  />`
}
