import type { Socket } from 'node:net'
import type { SupabaseClient } from '@supabase/supabase-js'
import { afterAll, beforeAll, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'
import {
  closeClients,
  listen,
  type RealtimeServer,
  realtimeClient,
  startRealtimeServer,
  waitFor,
} from './support.ts'

/**
 * A reader that stops reading must not hold up the others: the server never
 * waits for a socket, and cuts one off once its unsent data passes the bound.
 */
let t: TestDatabase
let server: RealtimeServer
let fast: SupabaseClient | undefined
let slow: WebSocket | undefined

beforeAll(async () => {
  t = await createTestDatabase()
  server = await startRealtimeServer(t.db, { maxBufferedBytes: 256 * 1024 })
})
afterAll(async () => {
  slow?.terminate()
  if (fast) await closeClients([fast])
  await server?.close()
  await t?.close()
})

it('should cut off a consumer that stopped reading while a fast one receives everything', async () => {
  slow = new WebSocket(
    `${server.url.replace('http', 'ws')}/realtime/v1/websocket?apikey=${server.anonKey}&vsn=2.0.0`,
  )
  const slowSocket = slow
  const slowJoined = new Promise((resolve) => slowSocket.once('message', resolve))
  let slowClosed = false
  slowSocket.on('close', () => {
    slowClosed = true
  })
  await new Promise((resolve) => slowSocket.once('open', resolve))
  slowSocket.send(JSON.stringify(['1', '1', 'realtime:firehose', 'phx_join', { config: {} }]))
  await slowJoined
  // Stop reading: the kernel buffers fill, then the server's queue for this socket grows.
  ;(slowSocket as unknown as { _socket: Socket })._socket.pause()

  fast = await realtimeClient(server)
  const reader = await listen(fast, 'firehose', { broadcast: { self: true } })
  expect(reader.status).toBe('SUBSCRIBED')

  const count = 600
  const filler = 'x'.repeat(40 * 1024)
  // The fast reader keeps up (this test's client shares the server's thread, so it is
  // paced: never more than four frames behind); the slow one receives nothing.
  for (let i = 0; i < count; i++) {
    await reader.channel.send({ type: 'broadcast', event: 'chunk', payload: { i, filler } })
    if (i % 4 === 3) await waitFor(() => reader.broadcasts.length === i + 1, `broadcast ${i}`)
  }
  await waitFor(
    () => reader.broadcasts.length === count,
    `all ${count} broadcasts at the fast reader`,
    30_000,
  )
  expect(reader.broadcasts.map((b) => b.payload.i)).toEqual([...Array(count).keys()])
  expect(reader.statuses).toEqual(['SUBSCRIBED'])
  expect(server.logs.filter((line) => line.startsWith('realtime: terminating a slow consumer'))).toHaveLength(
    1,
  )

  // Once it reads again, the slow reader finds its connection gone.
  ;(slowSocket as unknown as { _socket: Socket })._socket.resume()
  await waitFor(() => slowClosed, 'the slow socket to be closed', 10_000)
})
