-- Why: a review found that one organization could stop every tenant's nightly
-- metrics. The pipeline's sums were cast to numeric(16, 2) (and stored so),
-- but nothing bounds how many customers an organization has, nor the value
-- each carries (a deal up to 10^12, twelve months of services at any rate):
-- an owner of an organization of their own could make the sum overflow, and
-- the nightly run, one statement for all organizations, failed for everyone.
-- Sums of money are now plain numeric (exact, unbounded), rounded to cents;
-- the API's figures do the same (functions/queries). The function below is
-- 20261205110000's with only those two casts changed.

alter table public.daily_metrics
  alter column pipeline_value type numeric,
  alter column weighted_forecast type numeric;

create or replace function private.daily_metrics_for(p_org_id uuid, p_from date, p_to date, p_now timestamptz)
  returns setof public.daily_metrics
  language sql stable
  set search_path = ''
as $$
  with org as (
    select o.id, o.time_zone from public.organizations o where o.id = p_org_id
  ), days as (
    select g::date as day,
           (g::date::timestamp at time zone org.time_zone) as starts_at,
           ((g::date + 1)::timestamp at time zone org.time_zone) as ends_at
    from org
    cross join generate_series(p_from::timestamp, p_to::timestamp, interval '1 day') g
  ), events as (
    -- From the first day's start to the present: the range's own events are
    -- counted, the later ones undo the present back to each day's end.
    select (e.occurred_at at time zone org.time_zone)::date as day, e.type::text as type, e.actor_id, e.payload
    from org
    join public.timeline_events e on e.org_id = org.id
    where e.org_id = p_org_id
      and e.occurred_at >= (select min(starts_at) from days)
  ), phase_deltas as materialized (
    select ev.day, x.phase, sum(x.delta)::int as delta
    from events ev
    cross join lateral (values
      (case ev.type when 'customer_created' then ev.payload ->> 'phase'
                    when 'phase_changed' then ev.payload ->> 'new_phase' end, 1),
      (case ev.type when 'customer_deleted' then ev.payload ->> 'phase'
                    when 'phase_changed' then ev.payload ->> 'old_phase' end, -1)
    ) x (phase, delta)
    where x.phase is not null
      and ev.day > p_from
    group by ev.day, x.phase
  ), current_counts as materialized (
    select c.phase::text as phase, count(*)::int as n
    from public.customers c where c.org_id = p_org_id group by c.phase
  ), phases as (
    select p::text as phase from unnest(enum_range(null::public.customer_phase)) p
  ), statuses as (
    select s::text as status from unnest(enum_range(null::public.process_status)) s
  ), types as (
    select t::text as type from unnest(enum_range(null::public.timeline_event_type)) t
  ), in_range as (
    select * from events where day <= p_to
  ), day_stats as materialized (
    select ev.day,
           count(*) filter (where ev.type = 'customer_created')::int as new_customers,
           count(*) filter (where ev.type = 'customer_deleted')::int as deleted_customers,
           count(*) filter (where ev.type = 'phase_changed' and ev.payload ->> 'new_phase' = 'won')::int
             as conversions_won,
           count(*) filter (where ev.type = 'phase_changed' and ev.payload ->> 'new_phase' = 'lost')::int
             as conversions_lost,
           count(distinct ev.actor_id)::int as active_users
    from in_range ev group by ev.day
  ), type_counts as materialized (
    select ev.day, ev.type, count(*)::int as n from in_range ev group by ev.day, ev.type
  ), moves_in as materialized (
    select ev.day, ev.payload ->> 'new_phase' as phase, count(*)::int as n
    from in_range ev where ev.type = 'phase_changed' group by 1, 2
  ), moves_out as materialized (
    select ev.day, ev.payload ->> 'old_phase' as phase, count(*)::int as n
    from in_range ev where ev.type = 'phase_changed' group by 1, 2
  ), snapshot as (
    select (select coalesce(sum(s.monthly_hours), 0) from public.services s where s.org_id = p_org_id)
             as monthly_service_hours,
           (select jsonb_object_agg(st.status, coalesce(pc.n, 0))
            from statuses st
            left join (select p.status::text as status, count(*)::int as n
                       from public.processes p where p.org_id = p_org_id group by p.status) pc
              on pc.status = st.status) as processes_by_status
  ), pipeline as (
    select round(coalesce(sum(cv.value), 0), 2) as pipeline_value,
           round(coalesce(sum(cv.weighted_value), 0), 2) as weighted_forecast
    from public.customer_values cv
    where cv.org_id = p_org_id and cv.outcome = 'open'
  )
  select
    p_org_id,
    d.day,
    org.time_zone,
    (select jsonb_object_agg(ph.phase, coalesce(cc.n, 0) - coalesce(
              (select sum(pd.delta) from phase_deltas pd where pd.phase = ph.phase and pd.day > d.day), 0))
     from phases ph left join current_counts cc on cc.phase = ph.phase),
    coalesce(ds.new_customers, 0),
    coalesce(ds.deleted_customers, 0),
    (select jsonb_object_agg(ph.phase, coalesce(mi.n, 0))
     from phases ph left join moves_in mi on mi.phase = ph.phase and mi.day = d.day),
    (select jsonb_object_agg(ph.phase, coalesce(mo.n, 0))
     from phases ph left join moves_out mo on mo.phase = ph.phase and mo.day = d.day),
    coalesce(ds.conversions_won, 0),
    coalesce(ds.conversions_lost, 0),
    (select jsonb_object_agg(ty.type, coalesce(tc.n, 0))
     from types ty left join type_counts tc on tc.type = ty.type and tc.day = d.day),
    coalesce(ds.active_users, 0),
    case when p_now >= d.starts_at and p_now < d.ends_at + interval '1 day'
         then (select monthly_service_hours from snapshot) end,
    case when p_now >= d.starts_at and p_now < d.ends_at + interval '1 day'
         then (select processes_by_status from snapshot) end,
    p_now,
    case when p_now >= d.starts_at and p_now < d.ends_at + interval '1 day'
         then (select pipeline_value from pipeline) end,
    case when p_now >= d.starts_at and p_now < d.ends_at + interval '1 day'
         then (select weighted_forecast from pipeline) end
  from days d
  cross join org
  left join day_stats ds on ds.day = d.day
  order by d.day
$$;
