import { beforeAll, describe } from 'vitest'
import { affected, eachActor, expectations, fails, noPrivilege, sees, useWorld } from './matrix.ts'

/**
 * Notifications (issue 19) are their recipient's alone: only they read one,
 * and all they change is read_at. Nobody else sees them, not the
 * organization's owner either; only the database (the service role's
 * private.notify_overdue_tasks) writes them.
 */
const w = useWorld()

beforeAll(async () => {
  const { f } = w
  for (const [who, org, customer] of [
    ['rep', f.orgA, f.customers.repOwned],
    ['rep2', f.orgA, f.customers.rep2Owned],
    ['outsider', f.orgB, f.customers.orgB],
  ] as const) {
    const userId = f.users[who].id
    const [task] = await w.t.db.query<{ id: string }>(
      `insert into public.tasks (org_id, customer_id, assignee_id, title, due_at)
       values ($1, $2, $3, 'Send the proposal', now() - interval '1 day') returning id`,
      [org, customer, userId],
    )
    const [row] = await w.t.db.query<{ id: string }>(
      `insert into public.notifications (org_id, user_id, kind, task_id, title)
       values ($1, $2, 'task_overdue', $3, 'Task overdue: Send the proposal') returning id`,
      [org, userId, task?.id],
    )
    w.labels.set(row?.id as string, `${who}'s notification`)
  }
})

const denied = noPrivilege('notifications')

describe('notifications: select', () => {
  eachActor(
    'selecting all notifications',
    expectations(sees(), {
      anon: denied,
      rep: sees("rep's notification"),
      rep2: sees("rep2's notification"),
      outsider: sees("outsider's notification"),
      service_role: sees("rep's notification", "rep2's notification", "outsider's notification"),
    }),
    (actor) => w.read(actor, 'select id::text as key from public.notifications'),
  )
})

describe('notifications: update', () => {
  eachActor(
    'marking every notification read',
    expectations(affected(0), {
      anon: denied,
      rep: affected(1),
      rep2: affected(1),
      outsider: affected(1),
      service_role: affected(3),
    }),
    (actor) => w.write(actor, 'update public.notifications set read_at = now() returning 1'),
  )

  eachActor(
    "marking rep's notification unread",
    expectations(affected(0), { anon: denied, rep: affected(1), service_role: affected(1) }),
    (actor) =>
      w.write(actor, 'update public.notifications set read_at = null where user_id = $1 returning 1', [
        w.f.users.rep.id,
      ]),
  )

  eachActor(
    "giving rep's notification to the owner",
    expectations(denied, { service_role: affected(1) }),
    (actor) =>
      w.write(actor, 'update public.notifications set user_id = $2 where user_id = $1 returning 1', [
        w.f.users.rep.id,
        w.f.users.owner.id,
      ]),
  )

  eachActor("rewriting rep's notification", expectations(denied, { service_role: affected(1) }), (actor) =>
    w.write(actor, `update public.notifications set title = 'Forged' where user_id = $1 returning 1`, [
      w.f.users.rep.id,
    ]),
  )
})

describe('notifications: insert and delete', () => {
  eachActor('notifying the rep', expectations(denied, { service_role: affected(1) }), (actor) =>
    w.write(
      actor,
      `insert into public.notifications (org_id, user_id, kind, title)
         values ($1, $2, 'task_overdue', 'Forged') returning 1`,
      [w.f.orgA, w.f.users.rep.id],
    ),
  )

  eachActor('deleting every notification', expectations(denied, { service_role: affected(3) }), (actor) =>
    w.write(actor, 'delete from public.notifications returning 1'),
  )
})

describe('notifications: the overdue sweep', () => {
  eachActor(
    'running private.notify_overdue_tasks()',
    expectations(fails({ code: '42501', message: 'permission denied for function notify_overdue_tasks' }), {
      anon: fails({ code: '42501', message: 'permission denied for schema private' }),
      // The fixture's notifications already cover the three overdue tasks: nothing new.
      service_role: affected(1),
    }),
    (actor) => w.write(actor, 'select private.notify_overdue_tasks() as sent'),
  )
})
