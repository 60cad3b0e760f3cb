import type { z } from '@hono/zod-openapi'
import type { DailyMetricsDay } from './metrics-daily.schemas.ts'

/**
 * A range of days under the caller's RLS: the stored rows before today (the
 * organization's today, by $4, the app's clock), the time zone and today's
 * date; no row when the organization is hidden. $1 org, $2 from, $3 to.
 * Today's live row comes from todayMetricsSql.
 */
export const dailyMetricsSql = `
  with org as (
    select o.id, o.time_zone, ($4::timestamptz at time zone o.time_zone)::date as today
    from public.organizations o
    where o.id = $1
  ), stored as (
    select m.*, false as live
    from public.daily_metrics m
    cross join org
    where m.org_id = $1 and m.day between $2::date and $3::date and m.day < org.today
  ), days as (
    select * from stored
  )
  select org.time_zone,
         org.today::text as today,
         coalesce((select jsonb_agg(
                     (to_jsonb(d) - 'org_id' - 'time_zone')
                       || jsonb_build_object('monthly_service_hours', d.monthly_service_hours::float8)
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
 * with, in the shape of a stored day (plus `live`). $1 org, $2 today (its
 * local date), $3 the app's clock. Run only after dailyMetricsSql found the
 * organization visible; under the caller's RLS all the same.
 */
export const todayMetricsSql = `
  select (to_jsonb(d) - 'org_id' - 'time_zone')
           || jsonb_build_object('monthly_service_hours', d.monthly_service_hours::float8, 'live', true) as day
  from private.daily_metrics_for($1, $2::date, $2::date, $3::timestamptz) d`
