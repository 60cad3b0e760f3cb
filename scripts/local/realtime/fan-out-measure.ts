import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SignJWT } from 'jose'
import WebSocket from 'ws'
import type { Database } from '../../../functions/db/database.ts'
import { deriveApiKey, localJwtSecret } from '../keys.ts'
import { createLocalRealtime } from './index.ts'

export interface FanOutFigures {
  sockets: number
  /** From the first connection attempt until every socket's private join was answered ok. */
  connectAndJoinMs: number
  rounds: number
  /** Per socket and round: from sending the UPDATE until the socket had the broadcast. */
  latencyMs: { median: number; p99: number; max: number }
  /** Deliveries that arrived, out of sockets × rounds. */
  delivered: number
  expected: number
}

/**
 * Opens `sockets` WebSockets to a local realtime server, each joined to one
 * organization's private topic as a member (one RLS probe per join), then
 * updates a customer `rounds` times and times each socket's copy of each
 * change. The clients run in this process, next to the server: their work
 * (parsing every frame) is counted in the figures, not hidden from them.
 */
export async function measureFanOut(
  db: Database,
  options: { sockets: number; rounds: number; log?: (line: string) => void },
): Promise<FanOutFigures> {
  const log = options.log ?? (() => {})
  const { orgId, userId, customerId } = await createTenant(db)
  const anonKey = await deriveApiKey(localJwtSecret, 'anon')
  const token = await new SignJWT({ role: 'authenticated' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setAudience('authenticated')
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(localJwtSecret))

  const realtime = createLocalRealtime({ db, jwtSecret: localJwtSecret, anonKey, log })
  await realtime.ready
  const server = createServer((_req, res) => res.writeHead(404).end())
  server.on('upgrade', (req, socket, head) => {
    if (!realtime.handleUpgrade(req, socket, head)) socket.destroy()
  })
  server.maxConnections = options.sockets + 100
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/realtime/v1/websocket?apikey=${anonKey}&vsn=2.0.0`
  const topic = `realtime:org:${orgId}`

  const arrivals: Map<string, number>[] = []
  const sockets: WebSocket[] = []
  try {
    const started = performance.now()
    // In batches, as a crowd of browsers would arrive, not all in one tick.
    for (let i = 0; i < options.sockets; i += 100) {
      const batch = Array.from({ length: Math.min(100, options.sockets - i) }, (_, j) =>
        openJoined(url, topic, token, (arrival) => {
          arrivals[i + j]?.set(arrival, performance.now())
        }),
      )
      for (const _ of batch) arrivals.push(new Map())
      sockets.push(...(await Promise.all(batch)))
    }
    const connectAndJoinMs = performance.now() - started
    log(`${options.sockets} sockets joined in ${connectAndJoinMs.toFixed(0)} ms`)

    const latencies: number[] = []
    for (let round = 0; round < options.rounds; round++) {
      const marker = `Load ${round} ${randomUUID().slice(0, 8)}`
      const sent = performance.now()
      await db.query('update public.customers set name = $1 where id = $2', [marker, customerId])
      const deadline = Date.now() + 30_000
      while (arrivals.some((a) => !a.has(marker)) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
      for (const a of arrivals) {
        const at = a.get(marker)
        if (at !== undefined) latencies.push(at - sent)
      }
    }
    latencies.sort((a, b) => a - b)
    const at = (q: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN
    return {
      sockets: options.sockets,
      connectAndJoinMs,
      rounds: options.rounds,
      latencyMs: { median: at(0.5), p99: at(0.99), max: latencies.at(-1) ?? NaN },
      delivered: latencies.length,
      expected: options.sockets * options.rounds,
    }
  } finally {
    for (const socket of sockets) socket.terminate()
    await realtime.close()
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

/** A socket joined to `topic`; calls `onChange` with each broadcast customer name. */
async function openJoined(url: string, topic: string, token: string, onChange: (name: string) => void) {
  const ws = new WebSocket(url)
  await new Promise((resolve, reject) => {
    ws.once('open', resolve)
    ws.once('error', reject)
  })
  const joined = new Promise<void>((resolve, reject) => {
    ws.on('message', (data) => {
      const [, ref, , event, payload] = JSON.parse(String(data)) as [unknown, unknown, string, string, never]
      if (event === 'phx_reply' && ref === '1') {
        const { status, response } = payload as { status: string; response: unknown }
        if (status === 'ok') resolve()
        else reject(new Error(`join refused: ${JSON.stringify(response)}`))
      } else if (event === 'broadcast') {
        const name = (payload as { payload?: { record?: { name?: string } } }).payload?.record?.name
        if (name) onChange(name)
      }
    })
  })
  ws.send(JSON.stringify(['1', '1', topic, 'phx_join', { config: { private: true }, access_token: token }]))
  await joined
  return ws
}

/** One organization, one member, one customer, written as the superuser. */
async function createTenant(db: Database) {
  const userId = randomUUID()
  await db.query(
    `insert into auth.users (id, aud, role, email, encrypted_password) values ($1, 'authenticated', 'authenticated', $2, '')`,
    [userId, `load-${userId}@example.com`],
  )
  const [org] = await db.query<{ id: string }>(
    `insert into public.organizations (name) values ('Realtime load') returning id`,
  )
  const orgId = (org as { id: string }).id
  await db.query(`insert into public.memberships (org_id, user_id, role) values ($1, $2, 'viewer')`, [
    orgId,
    userId,
  ])
  const [customer] = await db.query<{ id: string }>(
    `insert into public.customers (org_id, name) values ($1, 'Load customer') returning id`,
    [orgId],
  )
  return { orgId, userId, customerId: (customer as { id: string }).id }
}
