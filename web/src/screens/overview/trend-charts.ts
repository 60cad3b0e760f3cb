import type { ChartConfiguration, ChartDataset } from 'chart.js'
import { customerPhases } from '../../../../functions/domain/vocabulary.ts'
import { ChartPanel } from '../../charts/chart-panel.ts'
import { phaseColor, seriesPalette, withAlpha } from '../../charts/theme.ts'
import { phaseLabels } from '../../domain.ts'
import { formatCount, formatHours } from '../../format/numbers.ts'
import { html } from '../../html.ts'
import { formatDayLong, formatDayShort } from './day-labels.ts'
import { lastKnown, sumKnown, type TrendSeries } from './trend-series.ts'

interface TrendProps {
  series: TrendSeries
  timeZone: string
  onDrawn: (id: string) => void
}

/** Options every trend shares: a day axis with dates, gaps where a day has no figures. */
function dayChartOptions(series: TrendSeries, yTitle: string): ChartConfiguration<'line'>['options'] {
  return {
    responsive: true,
    maintainAspectRatio: false,
    spanGaps: false,
    interaction: { mode: 'index', intersect: false },
    plugins: {
      legend: { display: false },
      tooltip: {
        callbacks: { title: (items) => formatDayLong(series.axis[items[0]?.dataIndex ?? 0] ?? '') },
      },
    },
    scales: {
      x: {
        grid: { display: false },
        ticks: {
          autoSkip: true,
          maxTicksLimit: 6,
          maxRotation: 0,
          callback: (_value, index) => formatDayShort(series.axis[index] ?? ''),
        },
      },
      y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: yTitle } },
    },
  }
}

const labels = (series: TrendSeries) => series.axis.map(formatDayShort)
/** Whose calendar the days are: the organization's, which may not be the reader's. */
const daysNote = (timeZone: string) => `Days in ${timeZone}`

/** The days that have figures, newest first: the rows of a trend's table. */
function knownDays(series: TrendSeries) {
  const rows: number[] = []
  for (let i = series.axis.length - 1; i >= 0; i--) if (series.newCustomers[i] !== null) rows.push(i)
  return rows
}

export function NewCustomersTrend({ series, timeZone, onDrawn }: TrendProps) {
  const build = (): ChartConfiguration<'line'> => ({
    type: 'line',
    data: {
      labels: labels(series),
      datasets: [
        {
          label: 'New customers',
          data: series.newCustomers,
          borderColor: seriesPalette[0],
          backgroundColor: seriesPalette[0],
          pointRadius: series.axis.length > 90 ? 0 : 2,
          borderWidth: 2,
          tension: 0.2,
        },
      ],
    },
    options: dayChartOptions(series, 'New customers'),
  })
  return html`<${ChartPanel}
    id="trend-new-customers"
    headingLevel=${3}
    title="New customers per day"
    note=${daysNote(timeZone)}
    summary=${`Line chart of new customers per day over the last ${series.axis.length} days: ${formatCount(sumKnown(series.newCustomers))} in total on the ${series.days.length} days with figures.`}
    build=${build}
    deps=${[series]}
    onDrawn=${onDrawn}
    table=${html`<table class="chart-table" aria-label="New customers per day">
      <thead><tr><th scope="col">Day</th><th scope="col" class="num">New customers</th></tr></thead>
      <tbody>
        ${knownDays(series).map(
          (i) => html`<tr key=${series.axis[i]}>
            <th scope="row">${formatDayLong(series.axis[i] as string)}</th>
            <td class="num">${formatCount(series.newCustomers[i] ?? 0)}</td>
          </tr>`,
        )}
      </tbody>
    </table>`}
  />`
}

export function PhaseFunnelTrend({ series, timeZone, onDrawn }: TrendProps) {
  const build = (): ChartConfiguration<'line'> => {
    const options = dayChartOptions(series, 'Customers')
    return {
      type: 'line',
      data: {
        labels: labels(series),
        datasets: customerPhases.map(
          (phase, i): ChartDataset<'line'> => ({
            label: phaseLabels[phase],
            data: series.customersByPhase[phase],
            borderColor: phaseColor(phase),
            backgroundColor: withAlpha(phaseColor(phase), 0.55),
            fill: i === 0 ? 'origin' : '-1',
            pointRadius: 0,
            borderWidth: 1.5,
          }),
        ),
      },
      options: {
        ...options,
        plugins: {
          ...options?.plugins,
          legend: { display: true, position: 'bottom', labels: { boxWidth: 12, boxHeight: 12 } },
        },
        scales: { ...options?.scales, y: { ...options?.scales?.y, stacked: true } },
      },
    }
  }
  const latest = customerPhases
    .map((p) => `${phaseLabels[p]} ${lastKnown(series.customersByPhase[p]) ?? 0}`)
    .join(', ')
  return html`<${ChartPanel}
    id="trend-phases"
    headingLevel=${3}
    className="chart-wide chart-tall"
    title="Phase funnel over time"
    note=${`Customers in each phase at the end of each day, stacked · ${daysNote(timeZone)}`}
    summary=${`Stacked area chart of customers per phase at the end of each day over the last ${series.axis.length} days; latest: ${latest}.`}
    build=${build}
    deps=${[series]}
    onDrawn=${onDrawn}
    table=${html`<div class="table-scroll"><table class="chart-table" aria-label="Customers per phase per day">
      <thead><tr><th scope="col">Day</th>${customerPhases.map((p) => html`<th key=${p} scope="col" class="num">${phaseLabels[p]}</th>`)}</tr></thead>
      <tbody>
        ${knownDays(series).map(
          (i) => html`<tr key=${series.axis[i]}>
            <th scope="row">${formatDayLong(series.axis[i] as string)}</th>
            ${customerPhases.map((p) => html`<td key=${p} class="num">${formatCount(series.customersByPhase[p][i] ?? 0)}</td>`)}
          </tr>`,
        )}
      </tbody>
    </table></div>`}
  />`
}

export function ServiceHoursTrend({ series, timeZone, onDrawn }: TrendProps) {
  const build = (): ChartConfiguration<'line'> => {
    const options = dayChartOptions(series, 'Hours a month')
    return {
      type: 'line',
      data: {
        labels: labels(series),
        datasets: [
          {
            label: 'Monthly service hours',
            data: series.serviceHours,
            borderColor: seriesPalette[2],
            backgroundColor: seriesPalette[2],
            pointRadius: series.axis.length > 90 ? 0 : 2,
            borderWidth: 2,
          },
        ],
      },
      options: {
        ...options,
        plugins: {
          ...options?.plugins,
          tooltip: {
            ...options?.plugins?.tooltip,
            callbacks: {
              ...options?.plugins?.tooltip?.callbacks,
              label: (item) => ` ${formatHours(Number(item.raw))}`,
            },
          },
        },
        scales: { ...options?.scales, y: { ...options?.scales?.y, beginAtZero: false, ticks: {} } },
      },
    }
  }
  const snapshots = series.serviceHours.filter((h) => h !== null).length
  const latest = lastKnown(series.serviceHours)
  return html`<${ChartPanel}
    id="trend-service-hours"
    headingLevel=${3}
    title="Monthly service hours over time"
    note=${`${snapshots} of ${series.axis.length} days have a snapshot (backfilled days have none) · ${daysNote(timeZone)}`}
    summary=${`Line chart of total monthly service hours per day over the last ${series.axis.length} days; ${latest === undefined ? 'no snapshot yet' : `latest ${formatHours(latest)}`}.`}
    build=${build}
    deps=${[series]}
    onDrawn=${onDrawn}
    table=${html`<table class="chart-table" aria-label="Monthly service hours per day">
      <thead><tr><th scope="col">Day</th><th scope="col" class="num">Hours a month</th></tr></thead>
      <tbody>
        ${knownDays(series).map(
          (i) => html`<tr key=${series.axis[i]}>
            <th scope="row">${formatDayLong(series.axis[i] as string)}</th>
            <td class="num">${series.serviceHours[i] === null ? 'no snapshot' : formatHours(series.serviceHours[i] as number)}</td>
          </tr>`,
        )}
      </tbody>
    </table>`}
  />`
}
