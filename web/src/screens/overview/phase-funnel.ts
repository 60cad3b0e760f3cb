import type { ChartConfiguration } from 'chart.js'
import type { MetricsOverview } from '../../api/types.ts'
import { ChartPanel } from '../../charts/chart-panel.ts'
import { phaseColor } from '../../charts/theme.ts'
import { phaseLabels } from '../../domain.ts'
import { formatCount } from '../../format/numbers.ts'
import { html } from '../../html.ts'

/** Customers per phase as horizontal bars in pipeline order, each bar in its phase's colour. */
export function PhaseFunnel(props: { overview: MetricsOverview; onDrawn: (id: string) => void }) {
  const phases = props.overview.customers_by_phase
  const build = (): ChartConfiguration<'bar'> => ({
    type: 'bar',
    data: {
      labels: phases.map((p) => phaseLabels[p.phase]),
      datasets: [
        {
          label: 'Customers',
          data: phases.map((p) => p.count),
          backgroundColor: phases.map((p) => phaseColor(p.phase)),
          borderRadius: 4,
        },
      ],
    },
    options: {
      indexAxis: 'y',
      responsive: true,
      maintainAspectRatio: false,
      plugins: { legend: { display: false } },
      scales: {
        x: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'Customers' } },
        y: { grid: { display: false } },
      },
    },
  })
  return html`<${ChartPanel}
    id="chart-funnel"
    className="chart-wide chart-tall"
    title="Phase funnel"
    note=${`${formatCount(phases.reduce((sum, p) => sum + p.count, 0))} customers, in pipeline order`}
    summary=${`Bar chart of customers per phase: ${phases.map((p) => `${phaseLabels[p.phase]} ${p.count}`).join(', ')}.`}
    build=${build}
    deps=${[phases]}
    onDrawn=${props.onDrawn}
    table=${html`<table class="chart-table" aria-label="Customers per phase">
      <thead><tr><th scope="col">Phase</th><th scope="col" class="num">Customers</th></tr></thead>
      <tbody>
        ${phases.map(
          (p) => html`<tr key=${p.phase} data-phase=${p.phase}>
            <th scope="row">${phaseLabels[p.phase]}</th><td class="num">${formatCount(p.count)}</td>
          </tr>`,
        )}
      </tbody>
    </table>`}
  />`
}
