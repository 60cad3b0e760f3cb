import type { SupabaseClient } from '@supabase/supabase-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  closeClients,
  type RealtimeServer,
  realtimeClient,
  startRealtimeServer,
  userToken,
  waitFor,
} from '../../../tests/realtime/support.ts'
import { addMember, createAuthUser, createFixture, type Fixture } from '../../../tests/support/fixtures.ts'
import { createTestDatabase, type TestDatabase } from '../../../tests/support/test-database.ts'
import type { RowChange } from './changes.ts'
import { joinLiveTopic, type LiveTopic, rejoinDelayMs } from './live-topic.ts'

/**
 * The dashboard's channel against the local Realtime server with the real
 * supabase-js client: live changes, a resync after the server restarts (the
 * signal screens re-fetch on, since missed events are not replayed), and a
 * new join after the server closed the channel for an expired token.
 */
describe('the dashboard’s live topic', () => {
  let t: TestDatabase
  let f: Fixture
  let server: RealtimeServer | undefined
  const clients: SupabaseClient[] = []
  const topics: LiveTopic[] = []

  beforeAll(async () => {
    t = await createTestDatabase()
    f = await createFixture(t.db)
  })
  afterAll(async () => {
    for (const topic of topics) await topic.close()
    await closeClients(clients)
    await server?.close()
    await t?.close()
  })

  const rename = (name: string) =>
    t.db.query('update public.customers set name = $1 where id = $2', [name, f.customers.repOwned])

  it('should deliver changes, and count a resync once it is back after a restart', async () => {
    server = await startRealtimeServer(t.db)
    const client = await realtimeClient(server, await userToken(f.users.viewer.id))
    clients.push(client)
    const topic = joinLiveTopic(client, `org:${f.orgA}`)
    topics.push(topic)
    const changes: RowChange[] = []
    topic.listen((c) => changes.push(c))
    await waitFor(() => topic.status.get() === 'live', 'the channel to be live', 10_000)
    expect(topic.resyncs.get()).toBe(0)

    await rename('Live before restart')
    await waitFor(() => changes.some((c) => c.record.name === 'Live before restart'), 'the first change')

    const port = Number(new URL(server.url).port)
    await server.close()
    await waitFor(() => topic.status.get() === 'offline', 'the channel to notice', 10_000)
    // Made while nobody could hear it: only a re-fetch can show it.
    await rename('Changed while away')
    server = await startRealtimeServer(t.db, { port })
    await waitFor(() => topic.resyncs.get() === 1, 'a resync after the restart', 20_000)
    expect(topic.status.get()).toBe('live')
    expect(changes.some((c) => c.record.name === 'Changed while away')).toBe(false)
    const [row] = await t.db.query<{ name: string }>('select name from public.customers where id = $1', [
      f.customers.repOwned,
    ])
    expect(row?.name).toBe('Changed while away')
  })

  it('should join again with the current token after the server closed the channel for an expired one', async () => {
    if (!server) throw new Error('the first test starts the server')
    const running = server
    let token = await userToken(f.users.viewer.id, '2s')
    const client = await realtimeClient(running, token)
    // realtimeClient pins one token; the dashboard's supabase-js hands over the session's current one.
    client.realtime.accessTokenValue = null
    ;(client.realtime as unknown as { accessToken: () => Promise<string> }).accessToken = async () => token
    clients.push(client)
    const topic = joinLiveTopic(client, `org:${f.orgA}`)
    topics.push(topic)
    await waitFor(() => topic.status.get() === 'live', 'the channel to be live', 10_000)
    token = await userToken(f.users.viewer.id, '1h') // what a refresh would bring
    await waitFor(() => topic.status.get() === 'offline', 'the server to close the expired channel', 15_000)
    await waitFor(() => topic.status.get() === 'live', 'a new join with the fresh token', 15_000)
    const changes: RowChange[] = []
    topic.listen((c) => changes.push(c))
    await rename('After the new join')
    await waitFor(() => changes.some((c) => c.record.name === 'After the new join'), 'a change after it')
  })

  it('should say when the topic moved because someone left, and start the next topic’s resyncs after its own', async () => {
    if (!server) throw new Error('the first test starts the server')
    const leaving = await createAuthUser(t.db, `leaving-${Date.now()}@a.example.com`)
    await addMember(t.db, f.orgA, leaving.id, 'viewer')
    const client = await realtimeClient(server, await userToken(f.users.viewer.id))
    clients.push(client)
    let rotations = 0
    const topic = joinLiveTopic(client, `org:${f.orgA}`, { onRotated: () => rotations++, resyncsFrom: 4 })
    topics.push(topic)
    expect(topic.resyncs.get()).toBe(4)
    await waitFor(() => topic.status.get() === 'live', 'the channel to be live', 10_000)
    await t.db.query('delete from public.memberships where org_id = $1 and user_id = $2', [
      f.orgA,
      leaving.id,
    ])
    await waitFor(() => rotations === 1, 'the rotation notice')
    const changes: RowChange[] = []
    topic.listen((c) => changes.push(c))
    await rename('After the rotation')
    // The old topic hears nothing more: the change went to the new one.
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(changes).toEqual([])
  })

  it('should wait longer after each failed join, up to half a minute', () => {
    expect([0, 1, 2, 3, 10].map(rejoinDelayMs)).toEqual([1_000, 2_000, 4_000, 8_000, 30_000])
  })
})
