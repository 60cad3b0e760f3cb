import type { z } from '@hono/zod-openapi'
import type { Queryable } from '../db/database.ts'
import { type Sql, sql } from '../db/sql.ts'
import type { DailyMetricsDay } from '../routes/metrics-daily/metrics-daily.schemas.ts'

/**
 * Daily metrics: the days the nightly job stored (jobs/daily-metrics.ts) and
 * today's, computed live by the same database function.
 */

/**
 * A range of days under the caller's RLS: the stored rows before today (the
 * organization's today, by `now`, the app's clock), the time zone and today's
 * date; no row when the organization is hidden. Today's live row comes from
 * todayMetricsStatement. The bench runs the same statement.
 */
export const dailyMetricsStatement = (orgId: string, from: string, to: string, now: string): Sql => sql`
  with org as (
    select o.id, o.time_zone, (${now}::timestamptz at time zone o.time_zone)::date as today
    from public.organizations o
    where o.id = ${orgId}
  ), stored as (
    select m.*, false as live
    from public.daily_metrics m
    cross join org
    where m.org_id = ${orgId} and m.day between ${from}::date and ${to}::date and m.day < org.today
  ), days as (
    select * from stored
  )
  select org.time_zone,
         org.today::text as today,
         coalesce((select jsonb_agg(
                     (to_jsonb(d) - 'org_id' - 'time_zone')
                       || jsonb_build_object('monthly_service_hours', d.monthly_service_hours::float8,
                                             'pipeline_value', round(d.pipeline_value, 2)::text,
                                             'weighted_forecast', round(d.weighted_forecast, 2)::text)
                     order by d.day)
                   from days d), '[]'::jsonb) as days
  from org`

/** As the database returns it: JSON built in SQL, so only computed_at may need normalising. */
export type DailyMetricsDbRow = {
  time_zone: string
  today: string
  days: z.infer<typeof DailyMetricsDay>[]
}

/**
 * Today's figures, computed live by the same function the job stores days
 * with, in the shape of a stored day (plus `live`). `today` is the
 * organization's local date, `now` the app's clock. Run only after
 * dailyMetricsStatement found the organization visible; under the caller's RLS
 * all the same.
 */
export const todayMetricsStatement = (orgId: string, today: string, now: string): Sql => sql`
  select (to_jsonb(d) - 'org_id' - 'time_zone')
           || jsonb_build_object('monthly_service_hours', d.monthly_service_hours::float8,
                                 'pipeline_value', round(d.pipeline_value, 2)::text,
                                 'weighted_forecast', round(d.weighted_forecast, 2)::text, 'live', true) as day
  from private.daily_metrics_for(${orgId}, ${today}::date, ${today}::date, ${now}::timestamptz) d`

/** The stored days of a range with the organization's time zone and today; undefined when it is hidden. */
export async function storedDailyMetrics(
  tx: Queryable,
  orgId: string,
  range: { from: string; to: string },
  now: Date,
): Promise<DailyMetricsDbRow | undefined> {
  const [row] = await tx.query<DailyMetricsDbRow>(
    dailyMetricsStatement(orgId, range.from, range.to, now.toISOString()),
  )
  return row
}

/** Today's figures for a visible organization, computed now. */
export async function todayMetrics(
  tx: Queryable,
  orgId: string,
  today: string,
  now: Date,
): Promise<DailyMetricsDbRow['days'][number]> {
  const [computed] = await tx.query<{ day: DailyMetricsDbRow['days'][number] }>(
    todayMetricsStatement(orgId, today, now.toISOString()),
  )
  if (!computed) throw new Error('daily_metrics_for answered no row for a visible organization')
  return computed.day
}

/**
 * The nightly refresh, as the service role: for every organization, the local
 * days from the one after its last stored day (at most `maxCatchUpDays` back)
 * through its yesterday, in its own time zone; yesterday always. Returns the
 * rows written.
 */
export async function refreshMissedDays(tx: Queryable, now: Date, maxCatchUpDays: number): Promise<number> {
  const at = now.toISOString()
  const [row] = await tx.query<{ rows: number }>(
    sql`with plan as (
          select o.id,
                 ((${at}::timestamptz at time zone o.time_zone)::date - 1) as yesterday,
                 (select max(m.day) from public.daily_metrics m where m.org_id = o.id) as last_day
          from public.organizations o
        )
        select coalesce(sum(private.refresh_daily_metrics(
                 id,
                 greatest(least(coalesce(last_day + 1, yesterday), yesterday), yesterday - ${maxCatchUpDays}::int + 1),
                 yesterday,
                 ${at}::timestamptz)), 0)::int as rows
        from plan`,
  )
  return Number(row?.rows ?? 0)
}

/**
 * Refreshes a range of local days for every organization, as the service
 * role, leaving out days not yet over in its time zone. Returns the rows written.
 */
export async function refreshDays(
  tx: Queryable,
  range: { from: string; to: string },
  now: Date,
): Promise<number> {
  const at = now.toISOString()
  const [row] = await tx.query<{ rows: number }>(
    sql`select coalesce(sum(private.refresh_daily_metrics(
                 o.id, ${range.from}::date, least(${range.to}::date, (${at}::timestamptz at time zone o.time_zone)::date - 1),
                 ${at}::timestamptz)), 0)::int as rows
        from public.organizations o`,
  )
  return Number(row?.rows ?? 0)
}
