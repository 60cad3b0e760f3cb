import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import {
  type RealtimeServer,
  startRealtimeServer,
  userToken,
  waitFor,
} from '../../../tests/realtime/support.ts'
import { createFixture, type Fixture } from '../../../tests/support/fixtures.ts'
import { createTestDatabase, type TestDatabase } from '../../../tests/support/test-database.ts'
import { deriveApiKey, localJwtSecret } from '../keys.ts'

/**
 * The wire, frame by frame, with a raw WebSocket: what realtime-js relies on
 * without showing it (reply shapes, refs, unmatched topics, the binary push).
 */
let t: TestDatabase
let f: Fixture
let server: RealtimeServer
const sockets: WebSocket[] = []

beforeAll(async () => {
  t = await createTestDatabase()
  f = await createFixture(t.db)
  server = await startRealtimeServer(t.db)
})
afterAll(async () => {
  for (const socket of sockets) socket.terminate()
  await server?.close()
  await t?.close()
})

/** A raw vsn 2.0.0 socket that records every frame it receives. */
async function rawSocket(apiKey = server.anonKey, vsn = '2.0.0') {
  const url = `${server.url.replace('http', 'ws')}/realtime/v1/websocket?apikey=${apiKey}&vsn=${vsn}`
  const ws = new WebSocket(url)
  sockets.push(ws)
  const frames: unknown[] = []
  ws.on('message', (data) => frames.push(JSON.parse(String(data))))
  await new Promise((resolve, reject) => {
    ws.once('open', resolve)
    ws.once('error', reject)
  })
  const send = (frame: unknown) => ws.send(JSON.stringify(frame))
  const replyTo = async (ref: string) => {
    await waitFor(() => frames.some((m) => (m as unknown[])[1] === ref), `the reply to ${ref}`)
    return frames.find((m) => (m as unknown[])[1] === ref)
  }
  return { ws, frames, send, replyTo }
}

async function upgradeStatus(query: string, path = '/realtime/v1/websocket'): Promise<number> {
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}${path}?${query}`)
  return new Promise((resolve) => {
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
    ws.on('open', () => {
      ws.terminate()
      resolve(101)
    })
    ws.on('error', () => resolve(-1))
  })
}

describe('the upgrade', () => {
  it('should take only its own path, with a valid API key and a known vsn', async () => {
    expect(await upgradeStatus(`apikey=${server.anonKey}&vsn=2.0.0`)).toBe(101)
    expect(await upgradeStatus(`apikey=${await deriveApiKey(localJwtSecret, 'service_role')}`)).toBe(101)
    expect(await upgradeStatus('vsn=2.0.0')).toBe(401)
    expect(
      await upgradeStatus(`apikey=${await deriveApiKey('another-secret-of-at-least-32-chars!', 'anon')}`),
    ).toBe(401)
    expect(await upgradeStatus(`apikey=${server.anonKey}&vsn=9.9.9`)).toBe(400)
    // Not ours: the test server destroys the socket.
    expect(await upgradeStatus(`apikey=${server.anonKey}`, '/elsewhere')).toBe(-1)
  })

  it('should survive clients that reset their connection in the middle of the upgrade', async () => {
    const serviceKey = await deriveApiKey(localJwtSecret, 'service_role')
    const { port } = new URL(server.url)
    for (let i = 0; i < 20; i++) {
      const socket = connect(Number(port), '127.0.0.1')
      await new Promise((resolve) => socket.once('connect', resolve))
      socket.write(
        `GET /realtime/v1/websocket?apikey=${serviceKey}&vsn=2.0.0 HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n` +
          'Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      )
      await new Promise((resolve) => setTimeout(resolve, i % 3))
      socket.resetAndDestroy()
    }
    // Still serving.
    expect(await upgradeStatus(`apikey=${server.anonKey}&vsn=2.0.0`)).toBe(101)
  })
})

describe('frames', () => {
  it('should answer a heartbeat on the phoenix topic with the same ref', async () => {
    const { send, replyTo } = await rawSocket()
    send([null, '5', 'phoenix', 'heartbeat', {}])
    expect(await replyTo('5')).toEqual([null, '5', 'phoenix', 'phx_reply', { status: 'ok', response: {} }])
  })

  it('should join a public topic with the API key and echo an empty postgres_changes', async () => {
    const { send, replyTo } = await rawSocket()
    send(['1', '1', 'realtime:lobby', 'phx_join', { config: { broadcast: { self: false }, private: false } }])
    expect(await replyTo('1')).toEqual([
      '1',
      '1',
      'realtime:lobby',
      'phx_reply',
      { status: 'ok', response: { postgres_changes: [] } },
    ])
  })

  it('should refuse an empty topic name and pushes on a topic that was never joined', async () => {
    const { send, replyTo } = await rawSocket()
    send(['1', '1', 'realtime:', 'phx_join', { config: {} }])
    expect(await replyTo('1')).toEqual([
      '1',
      '1',
      'realtime:',
      'phx_reply',
      { status: 'error', response: { reason: 'TopicNameRequired: You must provide a topic name' } },
    ])
    send(['9', '2', 'realtime:lobby', 'broadcast', { type: 'broadcast', event: 'x', payload: {} }])
    expect(await replyTo('2')).toEqual([
      '9',
      '2',
      'realtime:lobby',
      'phx_reply',
      { status: 'error', response: { reason: 'unmatched topic' } },
    ])
  })

  it('should leave a channel: ok, and nothing more for it', async () => {
    const a = await rawSocket()
    const b = await rawSocket()
    a.send(['1', '1', 'realtime:room', 'phx_join', { config: {} }])
    b.send(['1', '1', 'realtime:room', 'phx_join', { config: { broadcast: { ack: true } } }])
    await Promise.all([a.replyTo('1'), b.replyTo('1')])
    a.send(['1', '2', 'realtime:room', 'phx_leave', {}])
    expect(await a.replyTo('2')).toEqual([
      '1',
      '2',
      'realtime:room',
      'phx_reply',
      { status: 'ok', response: {} },
    ])
    b.send(['1', '2', 'realtime:room', 'broadcast', { type: 'broadcast', event: 'hello', payload: {} }])
    await b.replyTo('2')
    a.send([null, '3', 'phoenix', 'heartbeat', {}])
    await a.replyTo('3')
    expect(a.frames.filter((m) => (m as unknown[])[3] === 'broadcast')).toEqual([])
  })

  it('should read a binary (kind 3) broadcast and deliver it as JSON to the other members', async () => {
    const sender = await rawSocket()
    const receiver = await rawSocket()
    sender.send(['1', '1', 'realtime:room2', 'phx_join', { config: { broadcast: { ack: true } } }])
    receiver.send(['1', '1', 'realtime:room2', 'phx_join', { config: {} }])
    await Promise.all([sender.replyTo('1'), receiver.replyTo('1')])
    const strings = ['1', '2', 'realtime:room2', 'wave', '']
    const header = Buffer.from([3, ...strings.map((s) => s.length), 1])
    sender.ws.send(Buffer.concat([header, Buffer.from(strings.join('')), Buffer.from('{"hand":"right"}')]))
    expect(await sender.replyTo('2')).toEqual([
      '1',
      '2',
      'realtime:room2',
      'phx_reply',
      { status: 'ok', response: {} },
    ])
    await waitFor(() => receiver.frames.length > 1, 'the broadcast')
    expect(receiver.frames[1]).toEqual([
      null,
      null,
      'realtime:room2',
      'broadcast',
      { type: 'broadcast', event: 'wave', payload: { hand: 'right' } },
    ])
  })

  it('should speak vsn 1.0.0 objects', async () => {
    const { ws, frames } = await rawSocket(server.anonKey, '1.0.0')
    ws.send(JSON.stringify({ topic: 'phoenix', event: 'heartbeat', payload: {}, ref: '7' }))
    await waitFor(() => frames.length > 0, 'the reply')
    expect(frames[0]).toEqual({
      join_ref: null,
      ref: '7',
      topic: 'phoenix',
      event: 'phx_reply',
      payload: { status: 'ok', response: {} },
    })
  })
})

describe('POST /realtime/v1/api/broadcast', () => {
  const post = (token: string, messages: unknown[]) =>
    fetch(`${server.url}/realtime/v1/api/broadcast`, {
      method: 'POST',
      headers: {
        apikey: server.anonKey,
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ messages }),
    })

  it('should accept public messages, and private ones only where the caller may write', async () => {
    const listener = await rawSocket()
    listener.send(['1', '1', 'realtime:news', 'phx_join', { config: {} }])
    listener.send([
      '2',
      '2',
      `realtime:org:${f.orgA}`,
      'phx_join',
      { config: { private: true }, access_token: await userToken(f.users.viewer.id) },
    ])
    await Promise.all([listener.replyTo('1'), listener.replyTo('2')])

    const member = await userToken(f.users.owner.id)
    const forged = await post(member, [
      { topic: `org:${f.orgA}`, event: 'customers', payload: { forged: true }, private: true },
    ])
    expect(forged.status).toBe(202)
    const news = await post(member, [{ topic: 'news', event: 'headline', payload: { n: 1 } }])
    expect(news.status).toBe(202)
    const service = await post(await deriveApiKey(localJwtSecret, 'service_role'), [
      { topic: `org:${f.orgA}`, event: 'notice', payload: { from: 'service' }, private: true },
    ])
    expect(service.status).toBe(202)

    await waitFor(() => listener.frames.length >= 4, 'the two accepted broadcasts')
    expect(listener.frames.slice(2)).toEqual([
      [null, null, 'realtime:news', 'broadcast', { type: 'broadcast', event: 'headline', payload: { n: 1 } }],
      [
        null,
        null,
        `realtime:org:${f.orgA}`,
        'broadcast',
        { type: 'broadcast', event: 'notice', payload: { from: 'service' } },
      ],
    ])
    expect((await post('not-a-token', [{ topic: 'news', event: 'x', payload: {} }])).status).toBe(401)
    expect((await post(member, [{ topic: 'news' }])).status).toBe(422)
  })
})
