import { describe, expect, it } from 'vitest'
import type { Transaction } from '../../functions/db/database.ts'
import { dbErrorOf } from './expect-db-error.ts'
import {
  type Actor,
  affected,
  eachActor,
  expectations,
  fails,
  type Outcome,
  refusedByRls,
  sees,
  useWorld,
} from './matrix.ts'

/**
 * Who may join (select) and broadcast on (insert) a Realtime topic: the
 * policies on realtime.messages, probed exactly as the Realtime server probes
 * them (Realtime.Tenants.Authorization): the topic in `realtime.topic`, the
 * caller's role and claims for the transaction; a join is a probe message
 * (written by the server) that the caller can see, a broadcast is an insert
 * the caller may make. Every attempt is rolled back.
 */
const w = useWorld()

const sessionOf = async (person: 'rep' | 'outsider') => {
  const [row] = await w.t.db.query<{ id: string }>('select id from public.chat_sessions where user_id = $1', [
    w.f.users[person].id,
  ])
  return (row as { id: string }).id
}

/** Sets what the Realtime server sets before a probe (and what withUser sets), plus the topic. */
async function actAs(tx: Transaction, actor: Actor, topic: string) {
  const role = actor === 'anon' || actor === 'service_role' ? actor : 'authenticated'
  const claims = role === 'authenticated' ? { sub: w.idOf(actor), role } : { role }
  await tx.query(
    `select set_config('role', $1, true), set_config('request.jwt.claims', $2, true),
            set_config('realtime.topic', $3, true)`,
    [role, JSON.stringify(claims), topic],
  )
}

async function attempt(run: () => Promise<Outcome>): Promise<Outcome> {
  try {
    return await run()
  } catch (error) {
    return fails(dbErrorOf(error))
  }
}

/** The join probe: a message the server wrote for `topic`, selected as the actor. */
const join = (actor: Actor, topic: string, extension = 'broadcast') =>
  attempt(() =>
    w.asSuperuser(async (tx) => {
      const [probe] = await tx.query<{ id: string }>(
        'insert into realtime.messages (topic, extension) values ($1, $2) returning id',
        [topic, extension],
      )
      await actAs(tx, actor, topic)
      const rows = await tx.query('select 1 from realtime.messages where id = $1', [probe?.id])
      return rows.length === 1 ? sees('the probe') : sees()
    }),
  )

/** The broadcast probe: the actor inserts a message for `topic`. */
const broadcast = (actor: Actor, topic: string, extension = 'broadcast') =>
  attempt(() =>
    w.asSuperuser(async (tx) => {
      await actAs(tx, actor, topic)
      const rows = await tx.query(
        'insert into realtime.messages (topic, extension) values ($1, $2) returning 1',
        [topic, extension],
      )
      return affected(rows.length)
    }),
  )

const membersOfA = { owner: 1, admin: 1, manager: 1, rep: 1, viewer: 1, rep2: 1 } as const
const onlyMembersOfA = Object.fromEntries(Object.keys(membersOfA).map((m) => [m, sees('the probe')]))
const refused = refusedByRls('messages')

describe('realtime.messages: joining a topic (select)', () => {
  eachActor(
    "joining org A's topic",
    expectations(sees(), { ...onlyMembersOfA, service_role: sees('the probe') }),
    (actor) => join(actor, `org:${w.f.orgA}`),
  )
  eachActor(
    "joining org B's topic",
    expectations(sees(), { outsider: sees('the probe'), service_role: sees('the probe') }),
    (actor) => join(actor, `org:${w.f.orgB}`),
  )
  eachActor(
    "joining rep's chat topic",
    expectations(sees(), { rep: sees('the probe'), service_role: sees('the probe') }),
    async (actor) => join(actor, `chat:${await sessionOf('rep')}`),
  )
  eachActor(
    "joining the outsider's chat topic",
    expectations(sees(), { outsider: sees('the probe'), service_role: sees('the probe') }),
    async (actor) => join(actor, `chat:${await sessionOf('outsider')}`),
  )
  eachActor(
    "joining rep's own topic (notifications)",
    expectations(sees(), { rep: sees('the probe'), service_role: sees('the probe') }),
    (actor) => join(actor, `user:${w.f.users.rep.id}`),
  )
  eachActor(
    "joining the outsider's own topic",
    expectations(sees(), { outsider: sees('the probe'), service_role: sees('the probe') }),
    (actor) => join(actor, `user:${w.f.users.outsider.id}`),
  )
  eachActor(
    "joining org A's id as a user topic",
    expectations(sees(), { service_role: sees('the probe') }),
    (actor) => join(actor, `user:${w.f.orgA}`),
  )
  eachActor(
    "joining org A's id under another topic kind",
    expectations(sees(), { service_role: sees('the probe') }),
    (actor) => join(actor, `team:${w.f.orgA}`),
  )
  eachActor(
    'joining a malformed org topic',
    expectations(sees(), { service_role: sees('the probe') }),
    (actor) => join(actor, `org:${w.f.orgA}:extra`),
  )
  eachActor(
    "tracking presence on org A's topic (not offered)",
    expectations(sees(), { service_role: sees('the probe') }),
    (actor) => join(actor, `org:${w.f.orgA}`, 'presence'),
  )
})

describe('realtime.messages: broadcasting from a client (insert)', () => {
  eachActor("broadcasting on org A's topic", expectations(refused, { service_role: affected(1) }), (actor) =>
    broadcast(actor, `org:${w.f.orgA}`),
  )
  eachActor(
    "broadcasting on rep's chat topic",
    expectations(refused, { rep: affected(1), service_role: affected(1) }),
    async (actor) => broadcast(actor, `chat:${await sessionOf('rep')}`),
  )
  eachActor(
    "broadcasting on the outsider's chat topic",
    expectations(refused, { outsider: affected(1), service_role: affected(1) }),
    async (actor) => broadcast(actor, `chat:${await sessionOf('outsider')}`),
  )
  eachActor(
    "broadcasting on rep's own topic (only the database speaks there)",
    expectations(refused, { service_role: affected(1) }),
    (actor) => broadcast(actor, `user:${w.f.users.rep.id}`),
  )
  eachActor(
    "tracking presence on rep's chat topic (not offered)",
    expectations(refused, { service_role: affected(1) }),
    async (actor) => broadcast(actor, `chat:${await sessionOf('rep')}`, 'presence'),
  )
})

describe('realtime.messages: stored messages of other topics', () => {
  it("should hide org B's stored messages from org A's owner probing with org A's topic", async () => {
    const outcome = await attempt(() =>
      w.asSuperuser(async (tx) => {
        await tx.query(`select realtime.send('{"secret": 1}', 'customers', $1)`, [`org:${w.f.orgB}`])
        await tx.query(`select realtime.send('{"mine": 1}', 'customers', $1)`, [`org:${w.f.orgA}`])
        await actAs(tx, 'owner', `org:${w.f.orgA}`)
        const rows = await tx.query<{ topic: string }>(
          `select topic from realtime.messages where payload ?| array['secret', 'mine']`,
        )
        return sees(...rows.map((row) => row.topic))
      }),
    )
    expect(outcome).toEqual(sees(`org:${w.f.orgA}`))
  })

  it("should let realtime.send fail quietly, not the caller's transaction, when a member may not broadcast", async () => {
    const outcome = await w.asSuperuser(async (tx) => {
      await actAs(tx, 'viewer', `org:${w.f.orgA}`)
      await tx.query(`select realtime.send('{"forged": true}', 'customers', $1)`, [`org:${w.f.orgA}`])
      return 'survived'
    })
    expect(outcome).toBe('survived')
  })
})
