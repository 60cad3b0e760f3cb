import type { DailyMetrics, DailyMetricsDay } from '../../api/types.ts'
import { Empty, ErrorState, Loading } from '../../components/states.ts'
import { formatCount, formatHours } from '../../format/numbers.ts'
import { html } from '../../html.ts'
import type { Range } from '../../router/routes.ts'
import type { AsyncState } from '../../state/use-async.ts'
import { RangeSelector } from './range-selector.ts'
import { NewCustomersTrend, PhaseFunnelTrend, ServiceHoursTrend } from './trend-charts.ts'
import type { TrendSeries } from './trend-series.ts'

/** The daily figures together with the range they were loaded for (the route may already ask another). */
export interface LoadedTrends {
  range: Range
  daily: DailyMetrics
  series: TrendSeries
}

/** The ids of the trend charts drawn for these figures: none until the nightly job has stored a day. */
export const trendChartIds = (trends: LoadedTrends) =>
  trends.series.historyDays > 0 ? ['trend-new-customers', 'trend-phases', 'trend-service-hours'] : []

export function Trends(props: {
  range: Range
  onRange: (range: Range) => void
  trends: AsyncState<LoadedTrends> & { reload: () => void }
  onDrawn: (id: string) => void
}) {
  const { trends } = props
  const data = trends.data
  return html`<section class="overview-trends" aria-labelledby="trends-title">
    <div class="overview-section-head">
      <h2 id="trends-title">Trends</h2>
      <${RangeSelector} range=${props.range} onChange=${props.onRange} />
    </div>
    <p class="trend-status" role="status">
      ${trends.status === 'loading' && data ? `Loading the last ${props.range} days…` : ''}
    </p>
    ${
      !data && trends.status === 'loading'
        ? html`<${Loading} label="Loading the trends…" />`
        : !data
          ? html`<${ErrorState} error=${trends.error} retry=${trends.reload} what="the trends" />`
          : html`
            ${trends.status === 'error' && html`<${ErrorState} error=${trends.error} retry=${trends.reload} />`}
            <p class="trend-coverage" aria-live="polite" data-days=${data.series.days.length} data-range=${data.series.axis.length}>
              <strong>${data.series.days.length} of ${data.series.axis.length} days</strong> have figures,
              today’s computed live · days counted in ${data.daily.time_zone}
            </p>
            ${
              data.series.historyDays === 0
                ? html`<${NoHistory} today=${data.series.days.find((d) => d.live)} />`
                : html`<div class="trend-grid">
                    <${PhaseFunnelTrend} series=${data.series} timeZone=${data.daily.time_zone} onDrawn=${props.onDrawn} />
                    <${NewCustomersTrend} series=${data.series} timeZone=${data.daily.time_zone} onDrawn=${props.onDrawn} />
                    <${ServiceHoursTrend} series=${data.series} timeZone=${data.daily.time_zone} onDrawn=${props.onDrawn} />
                  </div>`
            }`
    }
  </section>`
}

/** Before the first nightly run there is no history to draw; today's live figures still are news. */
function NoHistory({ today }: { today: DailyMetricsDay | undefined }) {
  return html`<${Empty}>
    <p class="trend-empty-title">Trends appear after the first nightly run.</p>
    ${
      today &&
      html`<dl class="live-today">
        <div><dt>New customers today</dt><dd>${formatCount(today.new_customers)}</dd></div>
        <div><dt>Phase changes today</dt><dd>${formatCount(today.events_by_type.phase_changed ?? 0)}</dd></div>
        <div><dt>Monthly service hours</dt><dd>${today.monthly_service_hours === null ? '—' : formatHours(today.monthly_service_hours)}</dd></div>
        <div><dt>Won today</dt><dd>${formatCount(today.conversions_won)}</dd></div>
      </dl>`
    }
  </${Empty}>`
}
