import { describe, expect, it } from 'vitest'
import {
  customerPhases,
  defaultPhaseProbabilities,
  defaultStuckAfterDays,
  phaseOutcomes,
} from '../functions/domain/vocabulary.ts'
import { useWorld } from './rls/matrix.ts'

/**
 * What the database does by itself for the sales value model (issue 19):
 * phase settings for every organization, when a customer entered its phase,
 * the timeline entries of completed tasks and logged activities, overdue
 * notifications, and the value views' arithmetic. Every change runs in a
 * transaction that is rolled back (see useWorld).
 */
const w = useWorld()

type Setting = { phase: string; probability: number | null; stuck_after_days: number | null }
const defaultSettings = customerPhases.map((phase) => ({
  phase,
  probability: (defaultPhaseProbabilities as Partial<Record<string, number>>)[phase] ?? null,
  stuck_after_days: defaultStuckAfterDays[phase],
}))
const settingsOf = (orgId: string | undefined) =>
  `select s.phase::text, s.probability, s.stuck_after_days from public.phase_settings s
   where s.org_id = '${orgId}' order by s.phase`

describe('phase settings', () => {
  it('should say where each phase stands exactly as the vocabulary’s phaseOutcomes', async () => {
    const rows = await w.asSuperuser((tx) =>
      tx.query<{ phase: string; outcome: string }>(
        `select p::text as phase, private.phase_outcome(p) as outcome
         from unnest(enum_range(null::public.customer_phase)) p`,
      ),
    )
    expect(Object.fromEntries(rows.map((r) => [r.phase, r.outcome]))).toEqual(phaseOutcomes)
  })

  it('should give every existing organization the vocabulary’s defaults', async () => {
    const rows = await w.asSuperuser((tx) => tx.query<Setting>(settingsOf(w.f.orgA)))
    expect(rows).toEqual(defaultSettings)
  })

  it.each(['stranger', 'service_role'] as const)(
    'should give an organization %s creates the defaults',
    async (actor) => {
      const rows = await w.as(actor, async (tx) => {
        const [org] = await tx.query<{ id: string }>(
          `insert into public.organizations (name) values ('New & Co') returning id`,
        )
        return tx.query<Setting>(settingsOf(org?.id))
      })
      expect(rows).toEqual(defaultSettings)
    },
  )
})

describe('phase_entered_at', () => {
  const read = `select phase_entered_at = now() as now, phase_entered_at::text as at from public.customers where id = $1`

  it('should stamp a signed-in user’s new customer with now(), whatever they send', async () => {
    const [row] = await w.as('rep', async (tx) => {
      const [c] = await tx.query<{ id: string }>(
        `insert into public.customers (org_id, name, phase_entered_at) values ($1, 'Acme', '2001-02-03')
         returning id`,
        [w.f.orgA],
      )
      return tx.query<{ now: boolean }>(read, [c?.id])
    })
    expect(row?.now).toBe(true)
  })

  it('should keep the moment the service role imports a customer with', async () => {
    const [row] = await w.as('service_role', async (tx) => {
      const [c] = await tx.query<{ id: string }>(
        `insert into public.customers (org_id, name, phase_entered_at) values ($1, 'Acme', '2001-02-03 00:00:00+00')
         returning id`,
        [w.f.orgA],
      )
      return tx.query<{ at: string }>(read, [c?.id])
    })
    expect(row?.at).toBe('2001-02-03 00:00:00+00')
  })

  it('should stamp a phase change with now(), and keep it through other edits', async () => {
    const rows = await w.as('rep', async (tx) => {
      await tx.query(`update public.customers set name = 'Renamed' where id = $1`, [w.f.customers.repOwned])
      const [renamed] = await tx.query<{ now: boolean }>(read, [w.f.customers.repOwned])
      await tx.query(`update public.customers set phase = 'qualified' where id = $1`, [
        w.f.customers.repOwned,
      ])
      const [moved] = await tx.query<{ now: boolean }>(read, [w.f.customers.repOwned])
      return [renamed?.now, moved?.now]
    })
    // The fixture wrote the customer in an earlier transaction.
    expect(rows).toEqual([false, true])
  })
})

describe('tasks', () => {
  const createTask = `insert into public.tasks (org_id, customer_id, assignee_id, title, due_at)
                      values ($1, $2, $3, 'Send the contract', now() - interval '2 days') returning id`

  it('should record a completed task as task_completed in the caller’s name, dated now whatever they send', async () => {
    const result = await w.as('rep', async (tx) => {
      const [task] = await tx.query<{ id: string }>(createTask, [
        w.f.orgA,
        w.f.customers.repOwned,
        w.f.users.rep.id,
      ])
      await tx.query(`update public.tasks set done_at = '2001-02-03' where id = $1`, [task?.id])
      const [done] = await tx.query<{ now: boolean }>(
        'select done_at = now() as now from public.tasks where id = $1',
        [task?.id],
      )
      const events = await tx.query(
        `select type, description, payload, actor_id, customer_id from public.timeline_events
         where type = 'task_completed'`,
      )
      return { id: task?.id, done: done?.now, events }
    })
    expect(result.done).toBe(true)
    expect(result.events).toEqual([
      {
        type: 'task_completed',
        description: 'Task Send the contract completed',
        payload: { task_id: result.id, title: 'Send the contract', assignee_id: w.f.users.rep.id },
        actor_id: w.f.users.rep.id,
        customer_id: w.f.customers.repOwned,
      },
    ])
  })

  it('should record nothing for other edits, and a second completion after reopening', async () => {
    const counts = await w.as('manager', async (tx) => {
      const [task] = await tx.query<{ id: string }>(createTask, [
        w.f.orgA,
        w.f.customers.repOwned,
        w.f.users.rep.id,
      ])
      const count = async () =>
        (await tx.query(`select 1 from public.timeline_events where type = 'task_completed'`)).length
      await tx.query(`update public.tasks set title = 'Renamed', due_at = now() where id = $1`, [task?.id])
      const afterEdit = await count()
      await tx.query('update public.tasks set done_at = now() where id = $1', [task?.id])
      await tx.query('update public.tasks set done_at = now() where id = $1', [task?.id])
      const afterDone = await count()
      await tx.query('update public.tasks set done_at = null where id = $1', [task?.id])
      await tx.query('update public.tasks set done_at = now() where id = $1', [task?.id])
      return [afterEdit, afterDone, await count()]
    })
    expect(counts).toEqual([0, 1, 2])
  })
})

describe('logged activities', () => {
  it('should record an activity as activity_logged, dated when it happened, in the caller’s name', async () => {
    const result = await w.as('rep', async (tx) => {
      const [activity] = await tx.query<{ id: string }>(
        `insert into public.activities (org_id, customer_id, kind, outcome, summary, occurred_at)
         values ($1, $2, 'call', 'left_message', 'Asked for the budget', '2026-01-05 10:00:00+00') returning id`,
        [w.f.orgA, w.f.customers.repOwned],
      )
      const events = await tx.query(
        `select type, description, payload, actor_id, customer_id, occurred_at::text as occurred_at
         from public.timeline_events where type = 'activity_logged'`,
      )
      return { id: activity?.id, events }
    })
    expect(result.events).toEqual([
      {
        type: 'activity_logged',
        description: 'Call: left message — Asked for the budget',
        payload: { activity_id: result.id, kind: 'call', outcome: 'left_message' },
        actor_id: w.f.users.rep.id,
        customer_id: w.f.customers.repOwned,
        occurred_at: '2026-01-05 10:00:00+00',
      },
    ])
  })
})

describe('overdue notifications', () => {
  it('should notify each assignee of their open tasks past due, once per task', async () => {
    const result = await w.as('service_role', async (tx) => {
      const task = async (title: string, assignee: string | null, due: string, done = false) =>
        tx.query(
          `insert into public.tasks (org_id, customer_id, assignee_id, title, due_at, done_at)
           values ($1, $2, $3, $4, now() + $5::interval, case when $6 then now() end)`,
          [w.f.orgA, w.f.customers.repOwned, assignee, title, due, done],
        )
      await task('Overdue', w.f.users.rep.id, '-1 hour')
      await task('Overdue too', w.f.users.rep2.id, '-3 days')
      await task('Due tomorrow', w.f.users.rep.id, '1 day')
      await task('Done late', w.f.users.rep.id, '-1 day', true)
      await task('Nobody’s', null, '-1 day')
      const sweep = async () =>
        (await tx.query<{ sent: number }>('select private.notify_overdue_tasks() as sent'))[0]?.sent
      const first = await sweep()
      const second = await sweep()
      const notifications = await tx.query(
        `select user_id, kind, title, read_at from public.notifications order by title`,
      )
      return { first, second, notifications }
    })
    expect(result).toEqual({
      first: 2,
      second: 0,
      notifications: [
        { user_id: w.f.users.rep.id, kind: 'task_overdue', title: 'Task overdue: Overdue', read_at: null },
        {
          user_id: w.f.users.rep2.id,
          kind: 'task_overdue',
          title: 'Task overdue: Overdue too',
          read_at: null,
        },
      ],
    })
  })

  it('should take a member’s notifications away with their membership', async () => {
    const left = await w.as('service_role', async (tx) => {
      await tx.query(
        `insert into public.tasks (org_id, customer_id, assignee_id, title, due_at)
         values ($1, $2, $3, 'Overdue', now() - interval '1 day')`,
        [w.f.orgA, w.f.customers.rep2Owned, w.f.users.rep2.id],
      )
      await tx.query('select private.notify_overdue_tasks()')
      const theirs = () =>
        tx.query<{ kind: string }>('select kind from public.notifications where user_id = $1', [
          w.f.users.rep2.id,
        ])
      const before = await theirs()
      await tx.query('delete from public.memberships where org_id = $1 and user_id = $2', [
        w.f.orgA,
        w.f.users.rep2.id,
      ])
      return { before, after: await theirs() }
    })
    // The overdue task gave rep2 exactly one notification, and leaving took it away.
    expect(left).toEqual({ before: [{ kind: 'task_overdue' }], after: [] })
  })
})

describe('the value views', () => {
  it('should compute rates, monthly and first-year values, probability, days in phase and stuck exactly', async () => {
    const result = await w.as('service_role', async (tx) => {
      await tx.query(`update public.organizations set default_hourly_rate = 100.00 where id = $1`, [w.f.orgA])
      await tx.query('delete from public.services where customer_id = $1', [w.f.customers.repOwned])
      await tx.query(
        `insert into public.services (org_id, customer_id, name, monthly_hours, hourly_rate)
         values ($1, $2, 'Support', 10.5, null), ($1, $2, 'Hosting', 3.33, 80.10)`,
        [w.f.orgA, w.f.customers.repOwned],
      )
      await tx.query(
        `update public.customers set deal_value = 5000.10, phase = 'proposal',
           phase_entered_at = now() - interval '22 days 1 hour' where id = $1`,
        [w.f.customers.repOwned],
      )
      const services = await tx.query(
        `select v.effective_hourly_rate::text, v.monthly_value::text from public.service_values v
         where v.customer_id = $1 order by v.monthly_value`,
        [w.f.customers.repOwned],
      )
      const [customer] = await tx.query(
        `select outcome, monthly_recurring_value::text, deal_value::text, value::text, probability,
           weighted_value::text, days_in_phase, is_stuck
         from public.customer_values where id = $1`,
        [w.f.customers.repOwned],
      )
      const won = await tx
        .query(`update public.customers set phase = 'active' where id = $1`, [w.f.customers.repOwned])
        .then(() =>
          tx.query(
            `select probability, weighted_value::text, is_stuck from public.customer_values where id = $1`,
            [w.f.customers.repOwned],
          ),
        )
      return { services, customer, won }
    })
    expect(result).toEqual({
      services: [
        // 3.33 h × 80.10 = 266.733 → 266.73; 10.5 h × 100.00 (the organization's) = 1050.00
        { effective_hourly_rate: '80.10', monthly_value: '266.73' },
        { effective_hourly_rate: '100.00', monthly_value: '1050.00' },
      ],
      customer: {
        outcome: 'open',
        monthly_recurring_value: '1316.73',
        deal_value: '5000.10',
        // 5000.10 + 12 × 1316.73
        value: '20800.86',
        probability: 50,
        // 20800.86 × 50 % = 10400.43
        weighted_value: '10400.43',
        days_in_phase: 22,
        // proposal's threshold: 21 days
        is_stuck: true,
      },
      // A won phase counts 100 %, and active has no threshold. Its phase changed now.
      won: [{ probability: 100, weighted_value: '20800.86', is_stuck: false }],
    })
  })
})
