import type { SalesFigures } from '../../api/types.ts'
import { ErrorState } from '../../components/states.ts'
import { html } from '../../html.ts'
import type { AsyncState } from '../../state/use-async.ts'
import { ForecastChart } from './forecast-chart.ts'
import { MoneyKpiCards } from './money-kpi-cards.ts'
import { MyTasks } from './my-tasks.ts'
import { StuckCustomers } from './stuck-customers.ts'

/**
 * The money part of the overview (GET /metrics/sales): the KPI row, the
 * forecast by close month and, in the side column, your open tasks and the
 * stuck customers. It
 * loads apart from the rest, so a slow or failed figure leaves the other
 * cards standing.
 */
export function MoneyOverview(props: {
  org: string
  sales: AsyncState<SalesFigures> & { reload: () => void }
  onDrawn: (id: string) => void
}) {
  const { sales } = props
  if (!sales.data) {
    if (sales.status === 'error')
      return html`<${ErrorState} error=${sales.error} retry=${sales.reload} what="the sales figures" />`
    return html`<div class="kpi-grid kpi-money" aria-hidden="true">
      ${[1, 2, 3, 4].map(
        (i) => html`<div key=${i} class="card kpi skeleton">
          <span class="skeleton-line skeleton-short"></span>
          <span class="skeleton-line skeleton-big"></span>
          <span class="skeleton-line"></span>
        </div>`,
      )}
    </div>`
  }
  return html`
    ${sales.status === 'error' && html`<${ErrorState} error=${sales.error} retry=${sales.reload} what="the sales figures" />`}
    <${MoneyKpiCards} sales=${sales.data} />
    <div class="overview-grid overview-money-grid">
      <${ForecastChart} sales=${sales.data} onDrawn=${props.onDrawn} />
      <div class="overview-side">
        <${MyTasks} org=${props.org} reloadKey=${sales.data} />
        <${StuckCustomers} org=${props.org} stuck=${sales.data.stuck} currency=${sales.data.currency} />
      </div>
    </div>`
}
