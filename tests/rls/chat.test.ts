import { describe, expect, it } from 'vitest'
import { chatRoles } from '../../functions/domain/vocabulary.ts'
import {
  type Actor,
  affected,
  eachActor,
  expectations,
  noPrivilege,
  refusedByRls,
  sees,
  useWorld,
} from './matrix.ts'

/** Chat sessions and their messages are their user's alone: not even the org owner reads them. */
const w = useWorld()
const repSession = async () => {
  const [row] = await w.t.db.query<{ id: string }>('select id from public.chat_sessions where user_id = $1', [
    w.f.users.rep.id,
  ])
  return (row as { id: string }).id
}

describe('chat_sessions: select', () => {
  eachActor(
    'selecting all chat sessions',
    expectations(sees(), {
      anon: noPrivilege('chat_sessions'),
      rep: sees("rep's session"),
      outsider: sees("outsider's session"),
      service_role: sees("rep's session", "outsider's session"),
    }),
    (actor) => w.read(actor, 'select id::text as key from public.chat_sessions'),
  )
})

describe('chat_sessions: insert', () => {
  const start = (actor: Actor, userId: string | undefined, orgId = w.f.orgA) =>
    w.write(
      actor,
      `insert into public.chat_sessions (org_id, user_id, title) values ($1, $2, 'Pipeline') returning 1`,
      [orgId, userId ?? w.f.users.rep.id],
    )

  eachActor(
    'starting a chat session for themselves in org A (the service role: for rep)',
    expectations(affected(1), {
      anon: noPrivilege('chat_sessions'),
      outsider: refusedByRls('chat_sessions'),
      stranger: refusedByRls('chat_sessions'),
    }),
    (actor) => start(actor, w.idOf(actor)),
  )

  eachActor(
    'starting a chat session in org A for rep',
    expectations(refusedByRls('chat_sessions'), {
      anon: noPrivilege('chat_sessions'),
      rep: affected(1),
      service_role: affected(1),
    }),
    (actor) => start(actor, w.f.users.rep.id),
  )
})

describe('chat_sessions: update', () => {
  eachActor(
    "renaming rep's chat session",
    expectations(affected(0), {
      anon: noPrivilege('chat_sessions'),
      rep: affected(1),
      service_role: affected(1),
    }),
    async (actor) =>
      w.write(actor, `update public.chat_sessions set title = 'Renamed' where id = $1 returning 1`, [
        await repSession(),
      ]),
  )

  eachActor(
    "handing rep's chat session to the owner",
    expectations(noPrivilege('chat_sessions'), { service_role: affected(1) }),
    async (actor) =>
      w.write(actor, 'update public.chat_sessions set user_id = $2 where id = $1 returning 1', [
        await repSession(),
        w.f.users.owner.id,
      ]),
  )

  eachActor(
    "moving rep's chat session to org B",
    expectations(noPrivilege('chat_sessions'), {
      service_role: { error: '42501 org_id cannot be changed' },
    }),
    async (actor) =>
      w.write(actor, 'update public.chat_sessions set org_id = $2 where id = $1 returning 1', [
        await repSession(),
        w.f.orgB,
      ]),
  )
})

describe('chat_sessions: delete', () => {
  eachActor(
    "deleting rep's chat session",
    expectations(affected(0), {
      anon: noPrivilege('chat_sessions'),
      rep: affected(1),
      service_role: affected(1),
    }),
    async (actor) =>
      w.write(actor, 'delete from public.chat_sessions where id = $1 returning 1', [await repSession()]),
  )
})

describe('chat_messages: select', () => {
  eachActor(
    'selecting all chat messages',
    expectations(sees(), {
      anon: noPrivilege('chat_messages'),
      rep: sees("rep's message"),
      outsider: sees("outsider's message"),
      service_role: sees("rep's message", "outsider's message"),
    }),
    (actor) => w.read(actor, 'select id::text as key from public.chat_messages'),
  )
})

describe('chat_messages: insert', () => {
  for (const role of chatRoles) {
    eachActor(
      `sending a ${role} message in rep's chat session`,
      expectations(refusedByRls('chat_messages'), {
        anon: noPrivilege('chat_messages'),
        ...(role === 'user' ? { rep: affected(1) } : {}),
        service_role: affected(1),
      }),
      async (actor) =>
        w.write(
          actor,
          `insert into public.chat_messages (org_id, session_id, role, content) values ($1, $2, $3, 'What next?') returning 1`,
          [w.f.orgA, await repSession(), role],
        ),
    )
  }
})

describe('chat_messages: update and delete', () => {
  eachActor(
    "editing rep's message",
    expectations(noPrivilege('chat_messages'), { service_role: affected(1) }),
    async (actor) =>
      w.write(actor, `update public.chat_messages set content = 'Edited' where session_id = $1 returning 1`, [
        await repSession(),
      ]),
  )

  eachActor(
    "moving rep's message to org B",
    expectations(noPrivilege('chat_messages'), {
      service_role: { error: '42501 org_id cannot be changed' },
    }),
    async (actor) =>
      w.write(actor, 'update public.chat_messages set org_id = $2 where session_id = $1 returning 1', [
        await repSession(),
        w.f.orgB,
      ]),
  )

  eachActor(
    "deleting rep's message",
    expectations(noPrivilege('chat_messages'), { service_role: affected(1) }),
    async (actor) =>
      w.write(actor, 'delete from public.chat_messages where session_id = $1 returning 1', [
        await repSession(),
      ]),
  )
})

describe('chat: rules beyond the matrix', () => {
  it('should end a member’s chat sessions, messages included, when they leave the organization', async () => {
    const session = await repSession()
    const left = await w.as('rep', async (tx) => {
      await tx.query('delete from public.memberships where org_id = $1 and user_id = $2', [
        w.f.orgA,
        w.f.users.rep.id,
      ])
      await tx.query(`select set_config('role', 'service_role', true)`)
      return tx.query<{ sessions: number; messages: number }>(
        `select (select count(*) from public.chat_sessions where id = $1)::int as sessions,
                (select count(*) from public.chat_messages where session_id = $1)::int as messages`,
        [session],
      )
    })
    expect(left).toEqual([{ sessions: 0, messages: 0 }])
  })
})
