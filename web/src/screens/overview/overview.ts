import { useCallback, useEffect, useMemo, useRef } from 'preact/hooks'
import type { MetricsOverview, SalesFigures } from '../../api/types.ts'
import { createDrawnTracker, markOnce } from '../../charts/drawn-tracker.ts'
import { ErrorState } from '../../components/states.ts'
import { useServices } from '../../context.ts'
import { formatDateTime, localToday } from '../../format/dates.ts'
import { html } from '../../html.ts'
import { useResyncs } from '../../realtime/live-context.ts'
import type { Range } from '../../router/routes.ts'
import { navigate } from '../../router/use-route.ts'
import { useAsync } from '../../state/use-async.ts'
import { useMembers } from '../../state/use-members.ts'
import { KpiCards } from './kpi-cards.ts'
import { loadDaily } from './load-daily.ts'
import { MoneyOverview } from './money-overview.ts'
import { OverviewSkeleton } from './overview-skeleton.ts'
import { PhaseFunnel } from './phase-funnel.ts'
import { RecentEvents } from './recent-events.ts'
import { hasServiceHours, ServiceHours } from './service-hours.ts'
import { trendSeries } from './trend-series.ts'
import { type LoadedTrends, Trends, trendChartIds } from './trends.ts'
import { useLiveRefresh } from './use-live-refresh.ts'

/** Set once per page load when every chart on the overview has drawn; the browser test times it. */
export const chartsDrawnMark = 'overview-charts-drawn'

/**
 * The overview, money first: the sales KPIs, the forecast by close month and
 * the stuck customers (GET /metrics/sales); then the customer and service
 * KPIs, the funnel and service hours (GET /metrics/overview), trends over the
 * chosen range (GET /metrics/daily) and the latest events. The three loads
 * live here; a change elsewhere in the organization (Realtime) reloads them
 * all, once per burst (use-live-refresh.ts).
 */
export function Overview({ route }: { route: { name: 'overview'; org: string; range: Range } }) {
  const { api } = useServices()
  // Live updates came back after an outage: what was missed is fetched again.
  const resyncs = useResyncs()
  const orgId = route.org
  const overview = useAsync(
    (signal) => api.get<MetricsOverview>(`/orgs/${orgId}/metrics/overview`, { signal }),
    [orgId, resyncs],
  )
  const sales = useAsync(
    (signal) => api.get<SalesFigures>(`/orgs/${orgId}/metrics/sales`, { signal }),
    [orgId, resyncs],
  )
  const trends = useAsync(
    async (signal): Promise<LoadedTrends> => {
      const daily = await loadDaily(api.get, orgId, route.range, localToday(), signal)
      return { range: route.range, daily, series: trendSeries(daily, route.range) }
    },
    [orgId, route.range, resyncs],
  )
  const members = useMembers(orgId)
  const onDrawn = useChartsDrawn(overview.data, sales, trends)

  const setRange = (range: Range) => navigate({ name: 'overview', org: orgId, range })
  const refresh = () => {
    overview.reload()
    sales.reload()
    trends.reload()
  }
  useLiveRefresh(refresh)

  if (!overview.data) {
    if (overview.status === 'error')
      return html`<section class="screen overview">
        <h1>Overview</h1>
        <${ErrorState} error=${overview.error} retry=${overview.reload} what="the overview" />
      </section>`
    return html`<${OverviewSkeleton} />`
  }
  const data = overview.data
  return html`<section class="screen overview">
    <div class="screen-head">
      <h1>Overview</h1>
      <p class="as-of">
        As of <time datetime=${data.as_of}>${formatDateTime(data.as_of)}</time>
        <button type="button" class="button button-quiet" onClick=${refresh} disabled=${overview.status === 'loading'}>
          ${overview.status === 'loading' ? 'Refreshing…' : 'Refresh'}
        </button>
      </p>
    </div>
    ${overview.status === 'error' && html`<${ErrorState} error=${overview.error} retry=${overview.reload} />`}
    <${MoneyOverview} org=${orgId} sales=${sales} onDrawn=${onDrawn} />
    <section class="overview-secondary" aria-labelledby="overview-customers-title">
      <h2 id="overview-customers-title" class="overview-subhead">Customers and service</h2>
      <${KpiCards} overview=${data} />
    </section>
    <div class="overview-grid">
      <${PhaseFunnel} overview=${data} onDrawn=${onDrawn} />
      <${ServiceHours} overview=${data} onDrawn=${onDrawn} />
    </div>
    <${Trends} range=${route.range} onRange=${setRange} trends=${trends} onDrawn=${onDrawn} />
    <${RecentEvents} org=${orgId} events=${data.recent_events} members=${members.data} now=${new Date(data.as_of)} />
  </section>`
}

/**
 * Calls performance.mark once every chart the overview shows has drawn: the
 * forecast when the sales figures have loaded, the funnel, the doughnut when
 * there are service hours, and the trends when their figures have loaded (a
 * load that failed has nothing to wait for).
 */
function useChartsDrawn(
  overview: MetricsOverview | undefined,
  sales: { status: string; data?: SalesFigures },
  trends: { status: string; data?: LoadedTrends },
) {
  const tracker = useRef(createDrawnTracker(() => markOnce(chartsDrawnMark)))
  const expected = useMemo(() => {
    if (!overview || (trends.status === 'loading' && !trends.data)) return undefined
    if (sales.status === 'loading' && !sales.data) return undefined
    const ids = ['chart-funnel']
    if (sales.data) ids.push('chart-forecast')
    if (hasServiceHours(overview)) ids.push('chart-services')
    if (trends.data) ids.push(...trendChartIds(trends.data))
    return ids
  }, [overview, sales.status, sales.data, trends.status, trends.data])
  useEffect(() => {
    if (expected) tracker.current.expect(expected)
  }, [expected])
  return useCallback((id: string) => tracker.current.drawn(id), [])
}
