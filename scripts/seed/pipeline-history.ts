import type { Database } from '../../functions/db/database.ts'
import { backfillDailyMetricsAsServiceRole } from '../../functions/jobs/daily-metrics.ts'

/** The days the demo data's timeline covers (the seed spreads customers over the last 180 days), up to yesterday. */
export function demoHistoryDays(now: Date): { from: string; to: string } {
  const day = (offset: number) => new Date(now.getTime() + offset * 86_400_000).toISOString().slice(0, 10)
  return { from: day(-181), to: day(-1) }
}

/**
 * Fresh demo data comes with half a year of timeline: the trend charts get
 * that history at once, as a backfill would on a real project, and the
 * pipeline's money trend an estimate of it (below).
 */
export async function backfillDemoHistory(db: Database, now: Date = new Date()): Promise<void> {
  const run = await backfillDailyMetricsAsServiceRole(db, demoHistoryDays(now), now)
  if (run.status !== 'succeeded')
    throw new Error(`The demo history's backfill ${run.status}: ${run.error ?? ''}`)
  await estimateDemoPipelineHistory(db)
}

/**
 * Demo data only: gives the days the backfill computed a pipeline value and
 * weighted forecast, which a real project only has from the nightly run's
 * snapshots (a value is not in the timeline, so past days cannot be rebuilt).
 * The estimate replays each customer's phase from the timeline and counts it
 * at today's value, weighted by today's phase probabilities; so the overview's
 * "vs a month ago" has something to say from the first `npm start`. Days that
 * already hold a snapshot keep it. Returns the days estimated.
 *
 * One statement: each customer_created and phase_changed event moves the
 * customer's value into (and out of) a phase on its local day; a phase's
 * value at a day's end is today's minus what moved after that day.
 */
export async function estimateDemoPipelineHistory(db: Database): Promise<number> {
  const [row] = await db.query<{ days: number }>(`
    with moves as (
      select e.org_id, (e.occurred_at at time zone o.time_zone)::date as day, x.phase, x.sign * cv.value as value
      from public.timeline_events e
      join public.organizations o on o.id = e.org_id
      join public.customer_values cv on cv.id = e.customer_id
      cross join lateral (values
        (case e.type when 'customer_created' then e.payload ->> 'phase'
                     when 'phase_changed' then e.payload ->> 'new_phase' end, 1),
        (case e.type when 'phase_changed' then e.payload ->> 'old_phase' end, -1)
      ) x (phase, sign)
      where e.type in ('customer_created', 'phase_changed') and x.phase is not null
    ), grid as (
      -- Every day from the first one without a snapshot to the last event, per organization and phase.
      select b.org_id, g::date as day, p::text as phase
      from (
        select m.org_id, min(m.day) as first_day,
               greatest(max(m.day), (select max(mv.day) from moves mv where mv.org_id = m.org_id)) as last_day
        from public.daily_metrics m where m.pipeline_value is null group by m.org_id
      ) b
      cross join generate_series(b.first_day::timestamp, b.last_day::timestamp, interval '1 day') g
      cross join unnest(enum_range(null::public.customer_phase)) p
    ), moved_after as (
      -- What moved into a phase after each day: the sum over the later days.
      select gr.org_id, gr.day, gr.phase,
             coalesce(sum(sum(mv.value)) over (
               partition by gr.org_id, gr.phase order by gr.day desc
               rows between unbounded preceding and 1 preceding), 0) as value
      from grid gr
      left join moves mv on mv.org_id = gr.org_id and mv.day = gr.day and mv.phase = gr.phase
      group by gr.org_id, gr.day, gr.phase
    ), today as (
      select cv.org_id, cv.phase::text as phase, sum(cv.value) as value
      from public.customer_values cv group by cv.org_id, cv.phase
    ), estimate as (
      select ma.org_id, ma.day,
             sum(greatest(coalesce(t.value, 0) - ma.value, 0)) as pipeline_value,
             sum(round(greatest(coalesce(t.value, 0) - ma.value, 0) * ps.probability / 100, 2)) as weighted_forecast
      from moved_after ma
      join public.phase_settings ps on ps.org_id = ma.org_id and ps.phase::text = ma.phase
      left join today t on t.org_id = ma.org_id and t.phase = ma.phase
      where private.phase_outcome(ma.phase::public.customer_phase) = 'open'
      group by ma.org_id, ma.day
    ), written as (
      update public.daily_metrics m
      set pipeline_value = es.pipeline_value, weighted_forecast = es.weighted_forecast
      from estimate es
      where m.org_id = es.org_id and m.day = es.day and m.pipeline_value is null
      returning 1
    )
    select count(*)::int as days from written`)
  return row?.days ?? 0
}
