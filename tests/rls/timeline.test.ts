import { describe } from 'vitest'
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
 * The timeline is written by triggers; people add notes, in their own name, on
 * customers they may edit; nobody but the service role edits or deletes an event.
 */
const w = useWorld()
const denied = noPrivilege('timeline_events')
const refused = refusedByRls('timeline_events')
const eventsOf = (customer: string) =>
  ['customer_created', 'document_added', 'note'].map((type) => `${type} on ${customer}`)

const addNote = (
  actor: Actor,
  columns: { type?: string; actorId?: string | null; customer?: string | null },
) =>
  w.write(
    actor,
    `insert into public.timeline_events (org_id, customer_id, type, description, actor_id)
     values ($1, $2, $3, 'Called them', $4) returning 1`,
    [
      w.f.orgA,
      columns.customer === undefined ? w.f.customers.repOwned : columns.customer,
      columns.type ?? 'note',
      columns.actorId === undefined ? (w.idOf(actor) ?? null) : columns.actorId,
    ],
  )

describe('timeline_events: select', () => {
  eachActor(
    'selecting all timeline events',
    expectations(sees(), {
      anon: denied,
      ...Object.fromEntries(
        membersOfA.map((m) => [m, sees(...eventsOf('repOwned'), ...eventsOf('rep2Owned'))]),
      ),
      outsider: sees(...eventsOf('orgBCustomer')),
      service_role: sees(...eventsOf('repOwned'), ...eventsOf('rep2Owned'), ...eventsOf('orgBCustomer')),
    }),
    (actor) => w.read(actor, 'select id::text as key from public.timeline_events'),
  )
})

describe('timeline_events: insert', () => {
  const writersOfRepOwned = {
    anon: denied,
    owner: affected(1),
    admin: affected(1),
    manager: affected(1),
    rep: affected(1),
    service_role: affected(1),
  }

  eachActor(
    'adding a note in their own name on repOwned',
    expectations(refused, writersOfRepOwned),
    (actor) => addNote(actor, {}),
  )

  eachActor(
    'adding a note in their own name on rep2Owned',
    expectations(refused, {
      anon: denied,
      owner: affected(1),
      admin: affected(1),
      manager: affected(1),
      rep2: affected(1),
      service_role: affected(1),
    }),
    (actor) => addNote(actor, { customer: w.f.customers.rep2Owned }),
  )

  eachActor(
    "adding a note on repOwned in rep2's name",
    expectations(refused, { anon: denied, service_role: affected(1) }),
    (actor) => addNote(actor, { actorId: w.f.users.rep2.id }),
  )

  eachActor(
    'adding a note on repOwned in nobody’s name',
    expectations(refused, { anon: denied, service_role: affected(1) }),
    (actor) => addNote(actor, { actorId: null }),
  )

  eachActor(
    'adding a note on no customer',
    expectations(refused, { anon: denied, service_role: affected(1) }),
    (actor) => addNote(actor, { customer: null }),
  )

  for (const type of ['phase_changed', 'customer_deleted']) {
    eachActor(
      `forging a ${type} event on repOwned in their own name`,
      expectations(refused, { anon: denied, service_role: affected(1) }),
      (actor) => addNote(actor, { type }),
    )
  }
})

describe('timeline_events: update and delete', () => {
  eachActor('rewording the note on repOwned', expectations(denied, { service_role: affected(1) }), (actor) =>
    w.write(
      actor,
      `update public.timeline_events set description = 'Rewritten' where customer_id = $1 and type = 'note' returning 1`,
      [w.f.customers.repOwned],
    ),
  )

  eachActor('deleting the events of repOwned', expectations(denied, { service_role: affected(3) }), (actor) =>
    w.write(actor, 'delete from public.timeline_events where customer_id = $1 returning 1', [
      w.f.customers.repOwned,
    ]),
  )
})

describe('timeline_events: the writer behind the triggers', () => {
  eachActor(
    "calling private.record_timeline_event to forge an event in org B's timeline",
    expectations(fails({ code: '42501', message: 'permission denied for function record_timeline_event' }), {
      anon: fails({ code: '42501', message: 'permission denied for schema private' }),
    }),
    (actor) =>
      w.write(
        actor,
        `select private.record_timeline_event($1, null, 'customer_deleted', 'Forged', '{}'::jsonb)`,
        [w.f.orgB],
      ),
  )
})
