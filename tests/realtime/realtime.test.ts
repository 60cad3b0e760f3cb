import type { SupabaseClient } from '@supabase/supabase-js'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { withUser } from '../../functions/db/with-user.ts'
import {
  addMember,
  createAuthUser,
  createCustomer,
  createFixture,
  createOrganization,
  type Fixture,
} from '../support/fixtures.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'
import {
  closeClients,
  listen,
  type RealtimeServer,
  realtimeClient,
  startRealtimeServer,
  userToken,
  waitFor,
} from './support.ts'

/**
 * The local realtime server with the real supabase-js client: private topics
 * authorised by the realtime.messages policies, changes broadcast by the
 * database's triggers, and the protocol details realtime-js depends on.
 */
let t: TestDatabase
let f: Fixture
let server: RealtimeServer
let clients: SupabaseClient[] = []

beforeAll(async () => {
  t = await createTestDatabase()
  f = await createFixture(t.db)
  server = await startRealtimeServer(t.db)
})
afterEach(async () => {
  await closeClients(clients)
  clients = []
})
afterAll(async () => {
  await server?.close()
  await t?.close()
})

async function clientFor(person: keyof Fixture['users'], options: { vsn?: '1.0.0' | '2.0.0' } = {}) {
  const client = await realtimeClient(server, await userToken(f.users[person].id), options)
  clients.push(client)
  return client
}

/** An organization's current live topic (it moves when someone leaves, as one test here makes rep2 do). */
async function orgTopic(orgId: string): Promise<string> {
  const [row] = await t.db.query<{ topic: string }>(`select 'org:' || private.org_live_key($1) as topic`, [
    orgId,
  ])
  return (row as { topic: string }).topic
}

async function chatSessionOf(person: keyof Fixture['users']): Promise<string> {
  const [row] = await t.db.query<{ id: string }>('select id from public.chat_sessions where user_id = $1', [
    f.users[person].id,
  ])
  return (row as { id: string }).id
}

describe('org topics', () => {
  it('should deliver a customer change made in the database to a member of its organization', async () => {
    const viewer = await listen(await clientFor('viewer'), `org:${f.orgA}`)
    expect(viewer.status).toBe('SUBSCRIBED')

    const [row] = await t.db.query<{ updated_at: Date }>(
      `update public.customers set name = 'Renamed live' where id = $1 returning updated_at`,
      [f.customers.repOwned],
    )
    await waitFor(() => viewer.broadcasts.some((b) => b.event === 'customers'), 'the customers broadcast')
    const message = viewer.broadcasts.find((b) => b.event === 'customers')
    expect(message?.payload).toEqual({
      table: 'customers',
      op: 'UPDATE',
      id: f.customers.repOwned,
      owner_id: f.users.rep.id,
      updated_at: expect.any(String),
      record: { name: 'Renamed live' },
    })
    expect(new Date(message?.payload.updated_at as string).getTime()).toBe(row?.updated_at.getTime())
    expect(message?.meta?.id).toMatch(/^[0-9a-f-]{36}$/)
  })

  it("should never deliver org A's change to org B's member, proven by org B's later change arriving", async () => {
    const outsider = await listen(await clientFor('outsider'), `org:${f.orgB}`)
    const member = await listen(await clientFor('rep'), `org:${f.orgA}`)
    expect([outsider.status, member.status]).toEqual(['SUBSCRIBED', 'SUBSCRIBED'])

    await t.db.query(`update public.customers set phase = 'qualified' where id = $1`, [f.customers.rep2Owned])
    await t.db.query(`update public.customers set phase = 'qualified' where id = $1`, [f.customers.orgB])
    await waitFor(
      () => outsider.broadcasts.some((b) => b.payload.id === f.customers.orgB),
      "org B's own change",
    )
    await waitFor(
      () => member.broadcasts.some((b) => b.payload.id === f.customers.rep2Owned),
      "org A's change",
    )
    expect(outsider.broadcasts.filter((b) => b.payload.id === f.customers.rep2Owned)).toEqual([])
    expect(member.broadcasts.filter((b) => b.payload.id === f.customers.orgB)).toEqual([])
  })

  it("should refuse a member of another organization joining org A's topic", async () => {
    const outsider = await listen(await clientFor('outsider'), `org:${f.orgA}`)
    expect(outsider.status).toBe('CHANNEL_ERROR')
    expect(outsider.error?.message).toBe(
      `Unauthorized: You do not have permissions to read from this Channel topic: org:${f.orgA}`,
    )
    await outsider.channel.unsubscribe()
  })

  it('should refuse the anon key alone on a private topic', async () => {
    const client = await realtimeClient(server)
    clients.push(client)
    const anonymous = await listen(client, `org:${f.orgA}`)
    expect(anonymous.status).toBe('CHANNEL_ERROR')
  })

  it('should refuse an expired token at join', async () => {
    const client = await realtimeClient(
      server,
      await userToken(f.users.rep.id, Math.floor(Date.now() / 1000) - 10),
    )
    clients.push(client)
    const expired = await listen(client, `org:${f.orgA}`)
    expect(expired.status).toBe('CHANNEL_ERROR')
    expect(expired.error?.message).toMatch(/^InvalidJWTToken: Token has expired \d+ seconds ago$/)
  })

  it('should refuse a token signed with another secret', async () => {
    const { SignJWT } = await import('jose')
    const forged = await new SignJWT({ role: 'authenticated' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(f.users.rep.id)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('another-secret-that-is-at-least-32-characters'))
    const client = await realtimeClient(server, forged)
    clients.push(client)
    const refused = await listen(client, `org:${f.orgA}`)
    expect(refused.status).toBe('CHANNEL_ERROR')
    expect(refused.error?.message).toBe('JwtSignatureError: Failed to validate JWT signature')
  })

  it("should drop a member's own broadcast on an org topic: only the database speaks there", async () => {
    const sender = await listen(await clientFor('owner'), `org:${f.orgA}`, {
      private: true,
      broadcast: { self: true, ack: true },
    })
    const colleague = await listen(await clientFor('viewer'), `org:${f.orgA}`)
    const result = await sender.channel.send(
      { type: 'broadcast', event: 'customers', payload: { forged: true } },
      { timeout: 500 },
    )
    expect(result).toBe('timed out')
    // A later database change arrives; the forged one never did.
    await t.db.query(`update public.customers set name = 'After the forgery' where id = $1`, [
      f.customers.repOwned,
    ])
    await waitFor(() => colleague.broadcasts.length > 0, 'the database change')
    expect([...sender.broadcasts, ...colleague.broadcasts].map((b) => b.payload.forged)).not.toContain(true)
  })

  it('should join and deliver with protocol vsn 1.0.0 (JSON objects)', async () => {
    const member = await listen(await clientFor('manager', { vsn: '1.0.0' }), `org:${f.orgA}`)
    expect(member.status).toBe('SUBSCRIBED')
    await t.db.query(
      `insert into public.contacts (org_id, customer_id, name, email) values ($1, $2, 'Vsn One', 'one@example.com')`,
      [f.orgA, f.customers.repOwned],
    )
    await waitFor(() => member.broadcasts.some((b) => b.event === 'contacts'), 'the contacts broadcast')
    expect(member.broadcasts.find((b) => b.event === 'contacts')?.payload).toMatchObject({
      table: 'contacts',
      op: 'INSERT',
      customer_id: f.customers.repOwned,
      record: { name: 'Vsn One', email: 'one@example.com', phone: null, role: null },
    })
  })
})

describe('a member who leaves or is removed', () => {
  /** The organization's topic as a member gets it (GET /me names it the same way). */
  const liveTopicOf = async (userId: string, orgId: string) => {
    const [row] = await withUser(t.db, { sub: userId }, (tx) =>
      tx.query<{ topic: string | null }>('select private.my_live_topic($1) as topic', [orgId]),
    )
    return row?.topic ?? null
  }
  const clientOf = async (userId: string) => {
    const client = await realtimeClient(server, await userToken(userId))
    clients.push(client)
    return client
  }

  it('should hear nothing of the organization once removed, even on a channel joined before, and be refused the new topic', async () => {
    // An organization of its own: the rotation must not move org A's topic under the other tests.
    const suffix = Date.now().toString(36)
    const org = await createOrganization(t.db, `Rotating ${suffix}`)
    const leaving = await createAuthUser(t.db, `leaving-${suffix}@c.example.com`)
    const staying = await createAuthUser(t.db, `staying-${suffix}@c.example.com`)
    await addMember(t.db, org, staying.id, 'owner')
    await addMember(t.db, org, leaving.id, 'rep')
    const customer = await createCustomer(t.db, org, staying.id, `Customer ${suffix}`)
    const topicBefore = (await liveTopicOf(leaving.id, org)) as string
    expect(topicBefore).toBe(`org:${org}`)
    const removed = await listen(await clientOf(leaving.id), topicBefore)
    const stayed = await listen(await clientOf(staying.id), topicBefore)
    expect([removed.status, stayed.status]).toEqual(['SUBSCRIBED', 'SUBSCRIBED'])

    await t.db.query('delete from public.memberships where org_id = $1 and user_id = $2', [org, leaving.id])
    await waitFor(() => stayed.broadcasts.some((b) => b.event === 'topic_rotated'), 'the rotation notice')
    expect(await liveTopicOf(leaving.id, org)).toBeNull()
    const topicAfter = (await liveTopicOf(staying.id, org)) as string
    expect(topicAfter).toMatch(/^org:[0-9a-f-]{36}$/)
    expect(topicAfter).not.toBe(topicBefore)

    const moved = await listen(await clientOf(staying.id), topicAfter)
    expect(moved.status).toBe('SUBSCRIBED')
    await t.db.query(`update public.customers set name = 'Changed after the removal' where id = $1`, [
      customer,
    ])
    // The staying member hears it on the new topic, so it was sent; the old topic, the removed member's, got none of it.
    await waitFor(() => moved.broadcasts.some((b) => b.event === 'customers'), 'the change on the new topic')
    expect(removed.broadcasts.filter((b) => b.event === 'customers')).toEqual([])
    expect(stayed.broadcasts.filter((b) => b.event === 'customers')).toEqual([])

    expect((await listen(await clientOf(leaving.id), topicAfter)).status).toBe('CHANNEL_ERROR')
    // Its id no longer names the organization's topic, not even for a member.
    expect((await listen(await clientOf(staying.id), `org:${org}`)).status).toBe('CHANNEL_ERROR')
  })
})

describe('chat topics', () => {
  it("should deliver a chat message only to its session's user", async () => {
    const session = await chatSessionOf('rep')
    const rep = await listen(await clientFor('rep'), `chat:${session}`)
    const owner = await listen(await clientFor('owner'), `chat:${session}`)
    expect(rep.status).toBe('SUBSCRIBED')
    expect(owner.status).toBe('CHANNEL_ERROR')

    await t.db.query(
      `insert into public.chat_messages (org_id, session_id, content) values ($1, $2, 'Hi me')`,
      [f.orgA, session],
    )
    await waitFor(() => rep.broadcasts.some((b) => b.event === 'chat_messages'), 'the chat message')
    expect(rep.broadcasts.find((b) => b.event === 'chat_messages')?.payload).toMatchObject({
      table: 'chat_messages',
      op: 'INSERT',
      record: { content: 'Hi me', role: 'user', session_id: session },
    })
    expect(owner.broadcasts).toEqual([])
  })

  it("should echo a broadcast to its sender with self, and acknowledge it with ack, on the user's own chat", async () => {
    const session = await chatSessionOf('rep')
    const rep = await listen(await clientFor('rep'), `chat:${session}`, {
      private: true,
      broadcast: { self: true, ack: true },
    })
    const otherTab = await listen(await clientFor('rep'), `chat:${session}`)
    const result = await rep.channel.send({ type: 'broadcast', event: 'typing', payload: { typing: true } })
    expect(result).toBe('ok')
    await waitFor(() => rep.broadcasts.length > 0 && otherTab.broadcasts.length > 0, 'the typing broadcast')
    expect(rep.broadcasts).toEqual([{ type: 'broadcast', event: 'typing', payload: { typing: true } }])
    expect(otherTab.broadcasts).toEqual(rep.broadcasts)
  })

  it('should not echo to the sender without self', async () => {
    const session = await chatSessionOf('rep')
    const rep = await listen(await clientFor('rep'), `chat:${session}`, {
      private: true,
      broadcast: { ack: true },
    })
    const otherTab = await listen(await clientFor('rep'), `chat:${session}`)
    expect(await rep.channel.send({ type: 'broadcast', event: 'typing', payload: {} })).toBe('ok')
    await waitFor(() => otherTab.broadcasts.length > 0, 'the broadcast in the other tab')
    expect(rep.broadcasts).toEqual([])
  })
})

describe('tokens during a subscription', () => {
  it('should keep the channel when setAuth sends a new valid token', async () => {
    const client = await clientFor('rep')
    const rep = await listen(client, `org:${f.orgA}`)
    await client.realtime.setAuth(await userToken(f.users.rep.id, '2h'))
    await t.db.query(`update public.customers set name = 'After refresh' where id = $1`, [
      f.customers.repOwned,
    ])
    await waitFor(
      () => rep.broadcasts.some((b) => (b.payload.record as { name?: string })?.name === 'After refresh'),
      'the change after the refresh',
    )
    expect(rep.statuses).toEqual(['SUBSCRIBED'])
  })

  it('should close the channel with a system message when a refreshed token may no longer read the topic', async () => {
    const client = await clientFor('rep2')
    const rep2 = await listen(client, `org:${f.orgA}`)
    expect(rep2.status).toBe('SUBSCRIBED')
    // rep2 leaves org A (their customer goes unassigned); their next token is refused on the topic.
    await t.db.query('delete from public.memberships where org_id = $1 and user_id = $2', [
      f.orgA,
      f.users.rep2.id,
    ])
    await client.realtime.setAuth(await userToken(f.users.rep2.id, '2h'))
    await waitFor(() => rep2.status === 'CLOSED', 'the channel to close')
    expect(rep2.system).toContainEqual({
      status: 'error',
      extension: 'system',
      message: `You do not have permissions to read from this Channel topic: org:${f.orgA}`,
      channel: `org:${f.orgA}`,
    })
  })

  it('should close the channel when its token expires', async () => {
    const client = await realtimeClient(
      server,
      await userToken(f.users.rep.id, Math.floor(Date.now() / 1000) + 2),
    )
    clients.push(client)
    const rep = await listen(client, await orgTopic(f.orgA))
    expect(rep.status).toBe('SUBSCRIBED')
    await waitFor(() => rep.status === 'CLOSED', 'the channel to close at expiry', 6_000)
    expect(rep.system).toContainEqual(
      expect.objectContaining({
        status: 'error',
        extension: 'system',
        message: expect.stringMatching(/^Token has expired/),
      }),
    )
  })
})

describe('the connection', () => {
  it('should answer heartbeats', async () => {
    const client = await clientFor('viewer')
    await listen(client, await orgTopic(f.orgA))
    const statuses: string[] = []
    client.realtime.onHeartbeat((status) => statuses.push(status))
    await client.realtime.sendHeartbeat()
    await waitFor(() => statuses.includes('ok'), 'the heartbeat reply')
  })

  it('should echo postgres_changes bindings so the client accepts the join, and say they are not served', async () => {
    const client = await clientFor('viewer')
    const channel = client.channel(await orgTopic(f.orgA), { config: { private: true } })
    const system: Record<string, unknown>[] = []
    channel.on('postgres_changes', { event: '*', schema: 'public', table: 'customers' }, () => {})
    channel.on('system', {}, (message) => system.push(message))
    const status = await new Promise((resolve) => channel.subscribe((s) => resolve(s)))
    expect(status).toBe('SUBSCRIBED')
    await waitFor(() => system.length > 0, 'the system message')
    expect(system[0]).toMatchObject({ extension: 'postgres_changes', status: 'error' })
  })
})
