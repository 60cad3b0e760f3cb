import type { SupabaseClient } from '@supabase/supabase-js'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createFixture, type Fixture } from '../support/fixtures.ts'
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
 * A restart of the realtime server drops every socket; realtime-js reconnects
 * and rejoins its channels by itself, and changes made after that arrive.
 * Changes made while it was away are not replayed: clients re-fetch them.
 */
let t: TestDatabase
let f: Fixture
let server: RealtimeServer | undefined
let client: SupabaseClient | undefined

beforeAll(async () => {
  t = await createTestDatabase()
  f = await createFixture(t.db)
})
afterAll(async () => {
  if (client) await closeClients([client])
  await server?.close()
  await t?.close()
})

it('should let the client rejoin after a restart and receive the changes made from then on', async () => {
  const first = await startRealtimeServer(t.db)
  server = first
  client = await realtimeClient(first, await userToken(f.users.viewer.id))
  const viewer = await listen(client, `org:${f.orgA}`)
  expect(viewer.status).toBe('SUBSCRIBED')

  const port = Number(new URL(first.url).port)
  await first.close()
  server = await startRealtimeServer(t.db, { port })
  const restarted = server
  await waitFor(() => restarted.realtime.socketCount === 1, 'the client to reconnect', 15_000)

  // The rejoin is answered once the channel is authorised again; from then on changes flow.
  const arrived = () =>
    viewer.broadcasts.some((b) =>
      String((b.payload.record as { name?: string })?.name).startsWith('After restart'),
    )
  const deadline = Date.now() + 15_000
  for (let attempt = 0; !arrived() && Date.now() < deadline; attempt++) {
    await t.db.query('update public.customers set name = $1 where id = $2', [
      `After restart ${attempt}`,
      f.customers.repOwned,
    ])
    await waitFor(arrived, 'a change after the restart', 250).catch(() => {})
  }
  expect(arrived()).toBe(true)
})
