import { beforeAll, describe } from 'vitest'
import { affected, eachActor, expectations, membersOfA, noPrivilege, sees, useWorld } from './matrix.ts'

/**
 * The nightly aggregates: members read their organization's days; only the
 * job (service role) writes them. job_runs spans every organization: nobody
 * but the service role reads or writes it.
 */
const w = useWorld()
const day = '2026-03-10'

beforeAll(async () => {
  for (const [org, label] of [
    [w.f.orgA, 'orgA day'],
    [w.f.orgB, 'orgB day'],
  ] as const) {
    await w.t.db.query(
      `insert into public.daily_metrics (org_id, day, time_zone, customers_by_phase, new_customers,
         deleted_customers, phase_in, phase_out, conversions_won, conversions_lost, events_by_type,
         active_users, computed_at)
       values ($1, $2, 'UTC', '{}', 1, 0, '{}', '{}', 0, 0, '{}', 1, now())`,
      [org, day],
    )
    w.labels.set(`${org}/${day}`, label)
  }
  const [run] = await w.t.db.query<{ id: string }>(
    `insert into public.job_runs (job, status, finished_at, rows) values ('metrics-nightly', 'succeeded', now(), 2)
     returning id::text`,
  )
  w.labels.set(run?.id as string, 'a nightly run')
})

describe('daily_metrics', () => {
  const denied = noPrivilege('daily_metrics')
  const insertDay = `insert into public.daily_metrics (org_id, day, time_zone, customers_by_phase, new_customers,
      deleted_customers, phase_in, phase_out, conversions_won, conversions_lost, events_by_type, active_users,
      computed_at)
    values ($1, '2026-03-11', 'UTC', '{}', 0, 0, '{}', '{}', 0, 0, '{}', 0, now()) returning 1`

  eachActor(
    'selecting all daily metrics',
    expectations(sees(), {
      anon: denied,
      ...Object.fromEntries(membersOfA.map((m) => [m, sees('orgA day')])),
      outsider: sees('orgB day'),
      service_role: sees('orgA day', 'orgB day'),
    }),
    (actor) => w.read(actor, `select org_id || '/' || day::text as key from public.daily_metrics`),
  )

  eachActor('inserting a day for org A', expectations(denied, { service_role: affected(1) }), (actor) =>
    w.write(actor, insertDay, [w.f.orgA]),
  )

  eachActor('updating org A’s day', expectations(denied, { service_role: affected(1) }), (actor) =>
    w.write(actor, 'update public.daily_metrics set new_customers = 99 where org_id = $1 returning 1', [
      w.f.orgA,
    ]),
  )

  eachActor('deleting org A’s day', expectations(denied, { service_role: affected(1) }), (actor) =>
    w.write(actor, 'delete from public.daily_metrics where org_id = $1 returning 1', [w.f.orgA]),
  )
})

describe('job_runs', () => {
  const denied = noPrivilege('job_runs')

  eachActor(
    'selecting all job runs',
    expectations(denied, { service_role: sees('a nightly run') }),
    (actor) => w.read(actor, 'select id::text as key from public.job_runs'),
  )

  eachActor('recording a job run', expectations(denied, { service_role: affected(1) }), (actor) =>
    w.write(actor, `insert into public.job_runs (job) values ('metrics-nightly') returning 1`),
  )

  eachActor('marking a job run failed', expectations(denied, { service_role: affected(1) }), (actor) =>
    w.write(
      actor,
      `update public.job_runs set status = 'failed', error = 'forged' where job = 'metrics-nightly' returning 1`,
    ),
  )

  eachActor('deleting the job runs', expectations(denied, { service_role: affected(1) }), (actor) =>
    w.write(actor, 'delete from public.job_runs returning 1'),
  )
})
