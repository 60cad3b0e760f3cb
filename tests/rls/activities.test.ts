import { beforeAll, describe } from 'vitest'
import {
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
 * Logged activities (issue 19): members read them; whoever may edit the
 * customer logs one, in their own name; nobody edits or deletes one but the
 * service role. The timeline entry each writes is tests/triggers.test.ts's.
 */
const w = useWorld()

beforeAll(async () => {
  const { f } = w
  for (const [label, org, customer, actor] of [
    ['repOwned', f.orgA, f.customers.repOwned, f.users.rep.id],
    ['rep2Owned', f.orgA, f.customers.rep2Owned, f.users.rep2.id],
    ['orgBCustomer', f.orgB, f.customers.orgB, f.users.outsider.id],
  ] as const) {
    const [row] = await w.t.db.query<{ id: string }>(
      `insert into public.activities (org_id, customer_id, kind, outcome, summary, actor_id)
       values ($1, $2, 'call', 'completed', 'Discussed the renewal', $3) returning id`,
      [org, customer, actor],
    )
    w.labels.set(row?.id as string, `call on ${label}`)
  }
})

const denied = noPrivilege('activities')
const insert = `insert into public.activities (org_id, customer_id, kind, outcome, summary, occurred_at)
                values ($1, $2, 'meeting', 'follow_up', 'Demo', now() - interval '1 hour') returning 1`

describe('activities: select', () => {
  eachActor(
    'selecting all activities',
    expectations(sees(), {
      anon: denied,
      ...Object.fromEntries(membersOfA.map((m) => [m, sees('call on repOwned', 'call on rep2Owned')])),
      outsider: sees('call on orgBCustomer'),
      service_role: sees('call on repOwned', 'call on rep2Owned', 'call on orgBCustomer'),
    }),
    (actor) => w.read(actor, 'select id::text as key from public.activities'),
  )
})

describe('activities: insert', () => {
  eachActor(
    'logging a meeting on repOwned',
    expectations(refusedByRls('activities'), {
      anon: denied,
      owner: affected(1),
      admin: affected(1),
      manager: affected(1),
      rep: affected(1),
      service_role: affected(1),
    }),
    (actor) => w.write(actor, insert, [w.f.orgA, w.f.customers.repOwned]),
  )

  eachActor(
    'logging a meeting on org B’s customer',
    expectations(refusedByRls('activities'), {
      anon: denied,
      outsider: affected(1),
      service_role: affected(1),
    }),
    (actor) => w.write(actor, insert, [w.f.orgB, w.f.customers.orgB]),
  )

  eachActor(
    'logging a call on repOwned in rep2’s name',
    expectations(denied, { service_role: affected(1) }),
    (actor) =>
      w.write(
        actor,
        `insert into public.activities (org_id, customer_id, kind, outcome, actor_id)
         values ($1, $2, 'call', 'no_answer', $3) returning 1`,
        [w.f.orgA, w.f.customers.repOwned, w.f.users.rep2.id],
      ),
  )

  eachActor(
    'logging a call on repOwned that happens tomorrow',
    expectations(fails({ code: '23514', message: 'an activity cannot be logged before it happens' }), {
      anon: denied,
      service_role: affected(1),
    }),
    (actor) =>
      w.write(
        actor,
        `insert into public.activities (org_id, customer_id, kind, outcome, occurred_at)
         values ($1, $2, 'call', 'completed', now() + interval '1 day') returning 1`,
        [w.f.orgA, w.f.customers.repOwned],
      ),
  )
})

describe('activities: update and delete', () => {
  eachActor(
    'changing the outcome of the call on repOwned',
    expectations(denied, { service_role: affected(1) }),
    (actor) =>
      w.write(
        actor,
        `update public.activities set outcome = 'no_answer' where customer_id = $1 returning 1`,
        [w.f.customers.repOwned],
      ),
  )

  eachActor('deleting the call on repOwned', expectations(denied, { service_role: affected(1) }), (actor) =>
    w.write(actor, 'delete from public.activities where customer_id = $1 returning 1', [
      w.f.customers.repOwned,
    ]),
  )
})
