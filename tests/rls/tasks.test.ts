import { beforeAll, describe } from 'vitest'
import {
  type Actor,
  affected,
  eachActor,
  expectations,
  fails,
  membersOfA,
  noPrivilege,
  refusedByRls,
  sees,
  useWorld,
} from './matrix.ts'

/**
 * Tasks (issue 19): members read their organization's tasks; managers and up
 * write every task; a rep writes the tasks assigned to them and creates tasks
 * for themselves on the customers they own, but hands none to anyone else;
 * viewers write nothing.
 * Placement (customer, organization) and the creator are not the client's.
 */
const w = useWorld()
const tasks = {} as Record<'rep' | 'rep2' | 'unassigned' | 'orgB', string>

beforeAll(async () => {
  const { f } = w
  for (const [label, org, customer, assignee] of [
    ['rep', f.orgA, f.customers.repOwned, f.users.rep.id],
    ['rep2', f.orgA, f.customers.rep2Owned, f.users.rep2.id],
    ['unassigned', f.orgA, f.customers.repOwned, null],
    ['orgB', f.orgB, f.customers.orgB, f.users.outsider.id],
  ] as const) {
    const [row] = await w.t.db.query<{ id: string }>(
      `insert into public.tasks (org_id, customer_id, assignee_id, title, due_at)
       values ($1, $2, $3, $4, now() + interval '1 day') returning id`,
      [org, customer, assignee, `Call back (${label})`],
    )
    tasks[label] = row?.id as string
    w.labels.set(tasks[label], `${label} task`)
  }
})

const denied = noPrivilege('tasks')
const managers = ['owner', 'admin', 'manager', 'service_role'] as const
/** `outcome` for managers of org A and the service role (plus `also`), `others` for the rest; anon never gets in. */
const byManagersAnd = (
  also: readonly Actor[],
  outcome: ReturnType<typeof affected>,
  others: ReturnType<typeof affected>,
) =>
  expectations(others, {
    ...Object.fromEntries([...managers, ...also].map((actor) => [actor, outcome])),
    anon: denied,
  })

describe('tasks: select', () => {
  eachActor(
    'selecting all tasks',
    expectations(sees(), {
      anon: denied,
      ...Object.fromEntries(membersOfA.map((m) => [m, sees('rep task', 'rep2 task', 'unassigned task')])),
      outsider: sees('orgB task'),
      service_role: sees('rep task', 'rep2 task', 'unassigned task', 'orgB task'),
    }),
    (actor) => w.read(actor, 'select id::text as key from public.tasks'),
  )
})

describe('tasks: insert', () => {
  const insert = `insert into public.tasks (org_id, customer_id, assignee_id, title, due_at)
                  values ($1, $2, $3, 'New task', now() + interval '2 days') returning 1`

  eachActor(
    'creating a task for oneself on repOwned',
    expectations(refusedByRls('tasks'), {
      anon: denied,
      owner: affected(1),
      admin: affected(1),
      manager: affected(1),
      rep: affected(1),
      // A task is one of the customer's children: not rep2's to add to a colleague's customer.
      service_role: affected(1),
    }),
    (actor) => w.write(actor, insert, [w.f.orgA, w.f.customers.repOwned, w.idOf(actor) ?? w.f.users.rep.id]),
  )

  eachActor(
    'creating a task done at once, for oneself, on repOwned (a timeline entry on that customer)',
    expectations(refusedByRls('tasks'), {
      anon: denied,
      owner: affected(1),
      admin: affected(1),
      manager: affected(1),
      rep: affected(1),
      service_role: affected(1),
    }),
    (actor) =>
      w.write(
        actor,
        `insert into public.tasks (org_id, customer_id, assignee_id, title, done_at)
         values ($1, $2, $3, 'Client accepted a 90 % discount', now()) returning 1`,
        [w.f.orgA, w.f.customers.repOwned, w.idOf(actor) ?? w.f.users.rep.id],
      ),
  )

  eachActor(
    'creating a task for the viewer on repOwned',
    expectations(refusedByRls('tasks'), {
      anon: denied,
      owner: affected(1),
      admin: affected(1),
      manager: affected(1),
      service_role: affected(1),
    }),
    (actor) => w.write(actor, insert, [w.f.orgA, w.f.customers.repOwned, w.f.users.viewer.id]),
  )

  eachActor(
    'creating an unassigned task on repOwned',
    expectations(refusedByRls('tasks'), {
      anon: denied,
      owner: affected(1),
      admin: affected(1),
      manager: affected(1),
      service_role: affected(1),
    }),
    (actor) => w.write(actor, insert, [w.f.orgA, w.f.customers.repOwned, null]),
  )

  eachActor(
    'creating a task for oneself in org B',
    expectations(refusedByRls('tasks'), { anon: denied, outsider: affected(1), service_role: affected(1) }),
    (actor) => w.write(actor, insert, [w.f.orgB, w.f.customers.orgB, w.idOf(actor) ?? w.f.users.outsider.id]),
  )

  // Cross-tenant: the composite keys hold whoever passes the policy.
  const foreignAssignee = fails({
    code: '23503',
    message: 'insert or update on table "tasks" violates foreign key constraint "tasks_assignee_is_member"',
  })
  eachActor(
    "creating a task in org A for org B's owner",
    expectations(refusedByRls('tasks'), {
      anon: denied,
      owner: foreignAssignee,
      admin: foreignAssignee,
      manager: foreignAssignee,
      service_role: foreignAssignee,
    }),
    (actor) => w.write(actor, insert, [w.f.orgA, w.f.customers.repOwned, w.f.users.outsider.id]),
  )

  const foreignCustomer = fails({
    code: '23503',
    message:
      'insert or update on table "tasks" violates foreign key constraint "tasks_customer_id_org_id_fkey"',
  })
  eachActor(
    "creating a task for oneself in org A about org B's customer",
    // Org B's customer is nobody's in org A to write: the policy refuses before the key is checked.
    expectations(refusedByRls('tasks'), { anon: denied, service_role: foreignCustomer }),
    (actor) => w.write(actor, insert, [w.f.orgA, w.f.customers.orgB, w.idOf(actor) ?? w.f.users.rep.id]),
  )

  eachActor(
    'creating a task with a creator of its own choosing',
    expectations(denied, { service_role: affected(1) }),
    (actor) =>
      w.write(
        actor,
        `insert into public.tasks (org_id, customer_id, assignee_id, title, created_by)
         values ($1, $2, $3, 'Forged', $3) returning 1`,
        [w.f.orgA, w.f.customers.repOwned, w.f.users.rep.id],
      ),
  )
})

describe('tasks: update', () => {
  const rename = 'update public.tasks set title = $2 where id = $1 returning 1'

  eachActor("renaming rep's task", byManagersAnd(['rep'], affected(1), affected(0)), (actor) =>
    w.write(actor, rename, [tasks.rep, 'Renamed']),
  )

  eachActor("completing rep2's task", byManagersAnd(['rep2'], affected(1), affected(0)), (actor) =>
    w.write(actor, 'update public.tasks set done_at = now() where id = $1 returning 1', [tasks.rep2]),
  )

  eachActor('renaming the unassigned task', byManagersAnd([], affected(1), affected(0)), (actor) =>
    w.write(actor, rename, [tasks.unassigned, 'Renamed']),
  )

  eachActor(
    "handing rep's task to rep2",
    expectations(affected(0), {
      anon: denied,
      owner: affected(1),
      admin: affected(1),
      manager: affected(1),
      // The rep sees and may edit the row, but the new row is not theirs.
      rep: refusedByRls('tasks'),
      service_role: affected(1),
    }),
    (actor) =>
      w.write(actor, 'update public.tasks set assignee_id = $2 where id = $1 returning 1', [
        tasks.rep,
        w.f.users.rep2.id,
      ]),
  )

  eachActor(
    'taking the unassigned task (assigning it to oneself)',
    expectations(affected(0), {
      anon: denied,
      owner: affected(1),
      admin: affected(1),
      manager: affected(1),
      service_role: affected(1),
    }),
    (actor) =>
      w.write(actor, 'update public.tasks set assignee_id = $2 where id = $1 returning 1', [
        tasks.unassigned,
        w.idOf(actor) ?? w.f.users.manager.id,
      ]),
  )

  eachActor(
    "renaming org B's task",
    expectations(affected(0), { anon: denied, outsider: affected(1), service_role: affected(1) }),
    (actor) => w.write(actor, rename, [tasks.orgB, 'Renamed']),
  )

  eachActor("moving rep's task to rep2Owned", expectations(denied, { service_role: affected(1) }), (actor) =>
    w.write(actor, 'update public.tasks set customer_id = $2 where id = $1 returning 1', [
      tasks.rep,
      w.f.customers.rep2Owned,
    ]),
  )

  eachActor(
    "moving rep's task to org B",
    expectations(denied, { service_role: fails({ code: '42501', message: 'org_id cannot be changed' }) }),
    (actor) =>
      w.write(actor, 'update public.tasks set org_id = $2 where id = $1 returning 1', [tasks.rep, w.f.orgB]),
  )

  eachActor(
    "rewriting the creator of rep's task",
    expectations(denied, { service_role: affected(1) }),
    (actor) =>
      w.write(actor, 'update public.tasks set created_by = $2 where id = $1 returning 1', [
        tasks.rep,
        w.f.users.rep2.id,
      ]),
  )
})

describe('tasks: delete', () => {
  const remove = 'delete from public.tasks where id = $1 returning 1'

  eachActor("deleting rep's task", byManagersAnd(['rep'], affected(1), affected(0)), (actor) =>
    w.write(actor, remove, [tasks.rep]),
  )

  eachActor(
    "deleting org B's task",
    expectations(affected(0), { anon: denied, outsider: affected(1), service_role: affected(1) }),
    (actor) => w.write(actor, remove, [tasks.orgB]),
  )
})
