import type { Queryable } from '../db/database.ts'
import { type Sql, sql } from '../db/sql.ts'

/**
 * The dashboard's overview of an organization: the whole of it in one
 * statement (one round trip), under the caller's RLS. The organization is
 * named in every subquery so the planner uses the (org_id, …) indexes; `asOf`
 * is the app's clock, so the 30-day windows are [as_of − 30d, as_of) and
 * [as_of − 60d, as_of − 30d). Enum ranges give every phase and status in their
 * declared order, zeros included. Service hours are grouped by service name:
 * the eight largest, then the rest as "Other" (a doughnut with more slices
 * than that is unreadable). The bench runs the same statement.
 */
export const overviewStatement = (orgId: string, asOf: string): Sql => sql`
  with phase_counts as (
    select phase, count(*)::int as n from public.customers where org_id = ${orgId} group by phase
  ), status_counts as (
    select status, count(*)::int as n from public.processes where org_id = ${orgId} group by status
  ), new_customers as (
    select count(*) filter (where created_at >= ${asOf}::timestamptz - interval '30 days')::int as last_30_days,
           count(*) filter (where created_at < ${asOf}::timestamptz - interval '30 days')::int as previous_30_days
    from public.customers
    where org_id = ${orgId}
      and created_at >= ${asOf}::timestamptz - interval '60 days'
      and created_at < ${asOf}::timestamptz
  ), hours_by_service as (
    -- Read once: the total below sums these (exactly, in numeric) instead of scanning services again.
    select name as service, sum(monthly_hours) as exact_hours, sum(monthly_hours)::float8 as hours
    from public.services where org_id = ${orgId} group by name
  ), ranked_services as (
    select service, hours, row_number() over (order by hours desc, service) as rank from hours_by_service
  ), recent_events as (
    select id, type, description, occurred_at, customer_id, actor_id
    from public.timeline_events
    where org_id = ${orgId}
    order by occurred_at desc, id desc
    limit 10
  )
  select
    exists (select from public.organizations where id = ${orgId}) as visible,
    (select jsonb_agg(jsonb_build_object('phase', p.phase, 'count', coalesce(pc.n, 0)) order by p.phase)
     from unnest(enum_range(null::public.customer_phase)) as p (phase)
     left join phase_counts pc on pc.phase = p.phase) as customers_by_phase,
    n.last_30_days,
    n.previous_30_days,
    case when n.previous_30_days = 0 then null
         else round((n.last_30_days - n.previous_30_days) * 100.0 / n.previous_30_days, 1)::float8
    end as change_percent,
    (select coalesce(sum(exact_hours), 0)::float8 from hours_by_service) as monthly_service_hours,
    (select coalesce(jsonb_agg(jsonb_build_object('service', g.service, 'hours', g.hours)
                              order by g.other, g.hours desc, g.service), '[]'::jsonb)
     from (select case when rank <= 8 then service else 'Other' end as service,
                  rank > 8 as other, sum(hours)::float8 as hours
           from ranked_services group by 1, 2) g) as service_hours_by_service,
    (select jsonb_agg(jsonb_build_object('status', s.status, 'count', coalesce(sc.n, 0)) order by s.status)
     from unnest(enum_range(null::public.process_status)) as s (status)
     left join status_counts sc on sc.status = s.status) as processes_by_status,
    (select coalesce(jsonb_agg(to_jsonb(e) order by e.occurred_at desc, e.id desc), '[]'::jsonb)
     from recent_events e) as recent_events
  from new_customers n`

export type OverviewDbRow = {
  visible: boolean
  customers_by_phase: { phase: 'lead'; count: number }[]
  last_30_days: number
  previous_30_days: number
  change_percent: number | null
  monthly_service_hours: number
  service_hours_by_service: { service: string; hours: number }[]
  processes_by_status: { status: 'planned'; count: number }[]
  recent_events: {
    id: string
    type: 'note'
    description: string
    occurred_at: string
    customer_id: string | null
    actor_id: string | null
  }[]
}

/** The overview as of `asOf`; `visible` is false when the organization is hidden from the caller. */
export async function overview(tx: Queryable, orgId: string, asOf: Date): Promise<OverviewDbRow | undefined> {
  const [row] = await tx.query<OverviewDbRow>(overviewStatement(orgId, asOf.toISOString()))
  return row
}
