import type { ChartConfiguration } from 'chart.js'
import type { SalesFigures } from '../../api/types.ts'
import { ChartPanel } from '../../charts/chart-panel.ts'
import { cssVar, withAlpha } from '../../charts/theme.ts'
import { formatMonth, monthAxisLabel } from '../../format/dates.ts'
import { amountForChart, formatMoney, formatMoneyCompact, formatMoneyShort } from '../../format/money.ts'
import { formatCount } from '../../format/numbers.ts'
import { html } from '../../html.ts'

type Amounts = SalesFigures['forecast']['overdue']

/**
 * The open pipeline by expected close month, this quarter and the next two:
 * each month's value and, beside it, its weighted value (what the phase
 * probabilities expect to close). Overdue and undated customers are noted
 * beside the chart: overdue ones are in their (past) month too, undated ones
 * in no month.
 */
export function ForecastChart(props: { sales: SalesFigures; onDrawn: (id: string) => void }) {
  const { currency } = props.sales
  const { months, overdue, undated } = props.sales.forecast
  const full = (amount: string) => formatMoney(amount, currency)
  const build = (): ChartConfiguration<'bar'> => {
    const primary = cssVar('--primary', '#1d4ed8')
    return {
      type: 'bar',
      data: {
        labels: months.map((m, i) => monthAxisLabel(m.month, i)),
        datasets: [
          {
            label: 'Value',
            data: months.map((m) => amountForChart(m.value)),
            backgroundColor: withAlpha(primary, 0.28),
            borderColor: primary,
            borderWidth: 1,
            borderRadius: 3,
          },
          {
            label: 'Weighted value',
            data: months.map((m) => amountForChart(m.weighted_value)),
            backgroundColor: primary,
            borderRadius: 3,
          },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        plugins: {
          legend: { position: 'bottom', labels: { boxWidth: 12, boxHeight: 12 } },
          tooltip: {
            callbacks: {
              title: (items) => formatMonth(months[items[0]?.dataIndex ?? 0]?.month ?? '', 'long'),
              // The exact amount from the API's text, not the float the bar was drawn with.
              label: (item) => {
                const month = months[item.dataIndex]
                if (!month) return ''
                return ` ${item.dataset.label}: ${full(item.datasetIndex === 0 ? month.value : month.weighted_value)}`
              },
              footer: (items) => {
                const n = months[items[0]?.dataIndex ?? 0]?.customers ?? 0
                return `${formatCount(n)} ${n === 1 ? 'customer' : 'customers'}`
              },
            },
          },
        },
        scales: {
          x: { grid: { display: false }, ticks: { maxRotation: 0, autoSkip: false } },
          y: {
            beginAtZero: true,
            ticks: { callback: (v) => formatMoneyCompact(String(Math.round(Number(v))), currency) },
          },
        },
      },
    }
  }
  const first = months[0]?.month
  const last = months[months.length - 1]?.month
  return html`<${ChartPanel}
    id="chart-forecast"
    className="chart-wide chart-tall"
    title="Forecast by close month"
    note=${first && last ? `Open customers by expected close date, ${formatMonth(first)} – ${formatMonth(last)}, in ${currency}` : `In ${currency}`}
    summary=${`Bar chart of the open pipeline by expected close month, value and weighted value: ${months
      .map((m) => `${formatMonth(m.month, 'long')} ${full(m.value)}, weighted ${full(m.weighted_value)}`)
      .join('; ')}.`}
    build=${build}
    deps=${[months, currency]}
    onDrawn=${props.onDrawn}
    aside=${html`<dl class="forecast-aside">
      <${Apart} id="forecast-overdue" label="Overdue" amounts=${overdue} currency=${currency}
        note="close date passed; in their months too" />
      <${Apart} id="forecast-undated" label="Undated" amounts=${undated} currency=${currency}
        note="no expected close date; in no month" />
    </dl>`}
    table=${html`<table class="chart-table" aria-label="Forecast by close month">
      <thead>
        <tr>
          <th scope="col">Month</th>
          <th scope="col" class="num">Customers</th>
          <th scope="col" class="num">Value</th>
          <th scope="col" class="num">Weighted value</th>
        </tr>
      </thead>
      <tbody>
        ${months.map(
          (m) => html`<tr key=${m.month} data-month=${m.month}>
            <th scope="row">${formatMonth(m.month, 'long')}</th>
            <td class="num">${formatCount(m.customers)}</td>
            <td class="num">${full(m.value)}</td>
            <td class="num">${full(m.weighted_value)}</td>
          </tr>`,
        )}
      </tbody>
      <tfoot>
        <tr data-month="overdue">
          <th scope="row">Overdue (in their months above)</th>
          <td class="num">${formatCount(overdue.customers)}</td>
          <td class="num">${full(overdue.value)}</td>
          <td class="num">${full(overdue.weighted_value)}</td>
        </tr>
        <tr data-month="undated">
          <th scope="row">Undated</th>
          <td class="num">${formatCount(undated.customers)}</td>
          <td class="num">${full(undated.value)}</td>
          <td class="num">${full(undated.weighted_value)}</td>
        </tr>
      </tfoot>
    </table>`}
  />`
}

function Apart(props: { id: string; label: string; amounts: Amounts; currency: string; note: string }) {
  const { amounts, currency } = props
  return html`<div class="forecast-apart" id=${props.id}>
    <dt>${props.label}</dt>
    <dd class="forecast-apart-value" title=${formatMoney(amounts.value, currency)}>
      ${formatMoneyShort(amounts.value, currency)}
    </dd>
    <dd class="forecast-apart-note">
      ${formatCount(amounts.customers)} ${amounts.customers === 1 ? 'customer' : 'customers'},
      weighted ${formatMoneyShort(amounts.weighted_value, currency)}; ${props.note}
    </dd>
  </div>`
}
