import type { Queryable } from '../db/database.ts'
import { type Sql, sql } from '../db/sql.ts'
import type { CustomerPhase } from '../domain/vocabulary.ts'

/**
 * The sales figures (issue 19), each one statement under the caller's RLS, so
 * a member sees the figures of what they may read and nothing else. Money
 * leaves Postgres as text: an exact decimal, never a float. Periods are the
 * organization's calendar, in its time zone; `now` is the request's clock.
 * Definitions: docs/metrics.md ("Sales figures").
 */

/** The organization the figures are for; none when the caller cannot see it. */
export interface FiguresContextRow {
  currency: string
  today: string
  quarter_start: string
}

export const figuresContextStatement = (orgId: string, now: Date): Sql => sql`
    select o.currency,
           to_char((${now}::timestamptz at time zone o.time_zone)::date, 'YYYY-MM-DD') as today,
           to_char(date_trunc('quarter', ${now}::timestamptz at time zone o.time_zone), 'YYYY-MM-DD')
             as quarter_start
    from public.organizations o
    where o.id = ${orgId}`

export function readFiguresContext(tx: Queryable, orgId: string, now: Date) {
  return tx.query<FiguresContextRow>(figuresContextStatement(orgId, now))
}

export interface PhaseValueRow {
  phase: CustomerPhase
  /** Whether the phase is open (in the pipeline); its probability then, null otherwise. */
  open: boolean
  probability: number | null
  customers: number
  value: string
  weighted_value: string
  /** The same three over every open phase (on each row): the pipeline. */
  total_customers: number
  total_value: string
  total_weighted_value: string
}

/** Every phase in pipeline order with its customers' value (zeros included), and the open phases' totals. */
export const valueByPhaseStatement = (orgId: string): Sql => sql`
    select ps.phase::text as phase,
           private.phase_outcome(ps.phase) = 'open' as open,
           ps.probability::int as probability,
           count(cv.id)::int as customers,
           round(coalesce(sum(cv.value), 0), 2)::text as value,
           round(coalesce(sum(cv.weighted_value), 0), 2)::text as weighted_value,
           coalesce(sum(count(cv.id)) filter (where private.phase_outcome(ps.phase) = 'open') over (), 0)::int
             as total_customers,
           round(coalesce(sum(sum(cv.value)) filter (where private.phase_outcome(ps.phase) = 'open') over (), 0), 2)
             ::text as total_value,
           round(coalesce(sum(sum(cv.weighted_value)) filter (where private.phase_outcome(ps.phase) = 'open') over (), 0), 2)
             ::text as total_weighted_value
    from public.phase_settings ps
    left join public.customer_values cv on cv.org_id = ps.org_id and cv.phase = ps.phase
    where ps.org_id = ${orgId}
    group by ps.phase, ps.probability
    order by ps.phase`

export function readValueByPhase(tx: Queryable, orgId: string) {
  return tx.query<PhaseValueRow>(valueByPhaseStatement(orgId))
}

export interface ForecastBucketRow {
  /** YYYY-MM, or 'overdue' (close date before today) or 'undated' (none). */
  bucket: string
  customers: number
  value: string
  weighted_value: string
}

/**
 * Open customers by expected close month, over this quarter and the next two
 * (nine months, zeros included), then two more rows: those whose close date
 * has passed (they are in their month's row too) and those without one.
 */
export const forecastByCloseMonthStatement = (orgId: string, now: Date): Sql => sql`
    with org as (
      select (${now}::timestamptz at time zone o.time_zone)::date as today
      from public.organizations o where o.id = ${orgId}
    ), months as (
      select m::date as month, (m + interval '1 month')::date as next_month
      from org
      cross join generate_series(date_trunc('quarter', org.today), date_trunc('quarter', org.today)
                                 + interval '8 months', interval '1 month') m
    ), open_customers as (
      select cv.id, cv.value, cv.weighted_value, cv.expected_close_date
      from public.customer_values cv
      where cv.org_id = ${orgId} and cv.outcome = 'open'
    )
    select to_char(m.month, 'YYYY-MM') as bucket,
           count(oc.id)::int as customers,
           round(coalesce(sum(oc.value), 0), 2)::text as value,
           round(coalesce(sum(oc.weighted_value), 0), 2)::text as weighted_value
    from months m
    left join open_customers oc on oc.expected_close_date >= m.month and oc.expected_close_date < m.next_month
    group by m.month
    union all
    select 'overdue', count(*)::int, round(coalesce(sum(oc.value), 0), 2)::text,
           round(coalesce(sum(oc.weighted_value), 0), 2)::text
    from open_customers oc, org where oc.expected_close_date < org.today
    union all
    select 'undated', count(*)::int, round(coalesce(sum(oc.value), 0), 2)::text,
           round(coalesce(sum(oc.weighted_value), 0), 2)::text
    from open_customers oc where oc.expected_close_date is null
    order by 1`

export function readForecastByCloseMonth(tx: Queryable, orgId: string, now: Date) {
  return tx.query<ForecastBucketRow>(forecastByCloseMonthStatement(orgId, now))
}

/** The periods closed deals are counted over. */
export const closingPeriods = [
  'month',
  'previous_month',
  'quarter',
  'previous_quarter',
  'win_rate',
  'previous_win_rate',
] as const
export type ClosingPeriod = (typeof closingPeriods)[number]

export interface ClosingsRow {
  period: ClosingPeriod
  starts_at: Date | string
  ends_at: Date | string
  won: number
  lost: number
  won_value: string
  average_days_to_close: string | null
}

/**
 * Customers won and lost per period, from the database-written timeline (a
 * phase change into won or lost). A customer counts once per period, with the
 * last of its outcomes there (won, then lost again: lost); its value is what it is worth now (a deleted customer still
 * counts, with no value). Month and quarter run from their first day to now,
 * and each "previous" period covers the same span one month or quarter
 * earlier, so a change compares like with like. The win-rate window is the
 * last `winRateDays` days, against the same number of days before.
 */
export const closingsStatement = (orgId: string, now: Date, winRateDays: number): Sql => sql`
    with org as (
      select o.time_zone as tz, ${now}::timestamptz at time zone o.time_zone as local_now
      from public.organizations o where o.id = ${orgId}
    ), periods (period, starts_at, ends_at) as (
      select 'month', date_trunc('month', local_now) at time zone tz, ${now}::timestamptz from org
      union all
      select 'previous_month', (date_trunc('month', local_now) - interval '1 month') at time zone tz,
             (local_now - interval '1 month') at time zone tz from org
      union all
      select 'quarter', date_trunc('quarter', local_now) at time zone tz, ${now}::timestamptz from org
      union all
      select 'previous_quarter', (date_trunc('quarter', local_now) - interval '3 months') at time zone tz,
             (local_now - interval '3 months') at time zone tz from org
      union all
      select 'win_rate', ${now}::timestamptz - make_interval(days => ${winRateDays}::int), ${now}::timestamptz
      union all
      select 'previous_win_rate', ${now}::timestamptz - make_interval(days => 2 * ${winRateDays}::int),
             ${now}::timestamptz - make_interval(days => ${winRateDays}::int)
    ), closings as (
      select distinct on (p.period, e.customer_id)
             p.period, e.customer_id, e.payload ->> 'new_phase' as outcome, e.occurred_at
      from periods p
      join public.timeline_events e
        on e.org_id = ${orgId}
       and e.type = 'phase_changed'
       and e.occurred_at >= p.starts_at and e.occurred_at < p.ends_at
      where e.payload ->> 'new_phase' in ('won', 'lost')
      order by p.period, e.customer_id, e.occurred_at desc
    )
    select p.period, p.starts_at, p.ends_at,
           count(cl.customer_id) filter (where cl.outcome = 'won')::int as won,
           count(cl.customer_id) filter (where cl.outcome = 'lost')::int as lost,
           round(coalesce(sum(cv.value) filter (where cl.outcome = 'won'), 0), 2)::text as won_value,
           round(avg(extract(epoch from (cl.occurred_at - c.created_at)) / 86400)
                 filter (where cl.outcome = 'won' and c.id is not null), 1)::text as average_days_to_close
    from periods p
    left join closings cl on cl.period = p.period
    left join public.customers c on c.id = cl.customer_id and c.org_id = ${orgId}
    left join public.customer_values cv on cv.id = cl.customer_id and cv.org_id = ${orgId}
    group by p.period, p.starts_at, p.ends_at`

export function readClosings(tx: Queryable, orgId: string, now: Date, winRateDays: number) {
  return tx.query<ClosingsRow>(closingsStatement(orgId, now, winRateDays))
}

export interface StuckCustomerRow {
  id: string
  name: string
  phase: CustomerPhase
  days_in_phase: number
  stuck_after_days: number
  value: string
  owner_id: string | null
  total: number
}

/** Customers longer in their phase than its threshold, the longest over first; `total` counts them all. */
export const stuckCustomersStatement = (orgId: string, limit: number): Sql => sql`
    select cv.id, c.name, cv.phase::text as phase, cv.days_in_phase, ps.stuck_after_days,
           cv.value::text as value, c.owner_id, count(*) over ()::int as total
    from public.customer_values cv
    join public.customers c on c.id = cv.id
    join public.phase_settings ps on ps.org_id = cv.org_id and ps.phase = cv.phase
    where cv.org_id = ${orgId} and cv.is_stuck
    order by cv.days_in_phase - ps.stuck_after_days desc, cv.id
    limit ${limit}`

export function readStuckCustomers(tx: Queryable, orgId: string, limit: number) {
  return tx.query<StuckCustomerRow>(stuckCustomersStatement(orgId, limit))
}

export interface PipelineSnapshotRow {
  day: string
  pipeline_value: string
  weighted_forecast: string
}

/**
 * The pipeline as the nightly run stored it for the same day one month ago
 * (daily_metrics' snapshot), to say how it changed; none when not stored.
 */
export const pipelineMonthAgoStatement = (orgId: string, now: Date): Sql => sql`
    select to_char(m.day, 'YYYY-MM-DD') as day, round(m.pipeline_value, 2)::text as pipeline_value,
           round(m.weighted_forecast, 2)::text as weighted_forecast
    from public.organizations o
    join public.daily_metrics m
      on m.org_id = o.id
     and m.day = ((${now}::timestamptz at time zone o.time_zone) - interval '1 month')::date
    where o.id = ${orgId} and m.pipeline_value is not null`

export function readPipelineMonthAgo(tx: Queryable, orgId: string, now: Date) {
  return tx.query<PipelineSnapshotRow>(pipelineMonthAgoStatement(orgId, now))
}
