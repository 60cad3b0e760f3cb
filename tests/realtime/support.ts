import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { getRequestListener } from '@hono/node-server'
import { createClient, type RealtimeChannel, type SupabaseClient } from '@supabase/supabase-js'
import { Hono } from 'hono'
import { SignJWT } from 'jose'
import WebSocket from 'ws'
import type { Database } from '../../functions/db/database.ts'
import { deriveApiKey, localJwtSecret } from '../../scripts/local/keys.ts'
import { createLocalRealtime, type LocalRealtime } from '../../scripts/local/realtime/index.ts'

export { localJwtSecret }

/** A bare HTTP server with the local realtime server on its upgrades and its broadcast app. */
export interface RealtimeServer {
  url: string
  anonKey: string
  realtime: LocalRealtime
  logs: string[]
  close(): Promise<void>
}

export async function startRealtimeServer(
  db: Database,
  options: { maxBufferedBytes?: number; port?: number } = {},
): Promise<RealtimeServer> {
  const { port: wantedPort = 0, ...realtimeOptions } = options
  const anonKey = await deriveApiKey(localJwtSecret, 'anon')
  const logs: string[] = []
  const realtime = createLocalRealtime({
    db,
    jwtSecret: localJwtSecret,
    anonKey,
    log: (line) => logs.push(line),
    ...realtimeOptions,
  })
  await realtime.ready
  const app = new Hono().route('/realtime/v1', realtime.broadcastApp)
  const server: Server = createServer(getRequestListener(app.fetch))
  server.on('upgrade', (req, socket, head) => {
    if (!realtime.handleUpgrade(req, socket, head)) socket.destroy()
  })
  await new Promise<void>((resolve) => server.listen(wantedPort, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    anonKey,
    realtime,
    logs,
    async close() {
      await realtime.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** A user's access token as local auth mints it (tests/support/api.ts tokenFor, with the local secret). */
export function userToken(userId: string, expiresIn: string | number = '1h'): Promise<string> {
  return new SignJWT({ role: 'authenticated', aal: 'aal1', session_id: crypto.randomUUID() })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(userId)
    .setAudience('authenticated')
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(localJwtSecret))
}

/**
 * The real supabase-js client, signed in with `token` (or anonymous), realtime
 * over `ws`. supabase-js hands the token to realtime asynchronously; a channel
 * subscribed before that joins with the API key, so wait for it here.
 */
export async function realtimeClient(
  server: RealtimeServer,
  token?: string,
  options: { vsn?: '1.0.0' | '2.0.0' } = {},
): Promise<SupabaseClient> {
  const client = createClient(server.url, server.anonKey, {
    ...(token ? { accessToken: async () => token } : {}),
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: {
      transport: WebSocket as never,
      ...(options.vsn ? { vsn: options.vsn } : {}),
      heartbeatIntervalMs: 60_000,
    },
  })
  if (token) await client.realtime.setAuth(token)
  return client
}

export interface Received {
  event: string
  payload: Record<string, unknown>
  meta?: { id: string }
}

/** A subscribed channel and everything it has received so far. */
export interface Listening {
  channel: RealtimeChannel
  status: string
  error?: Error
  broadcasts: Received[]
  system: Record<string, unknown>[]
  statuses: string[]
}

/** Subscribes and resolves at the first terminal status (SUBSCRIBED, CHANNEL_ERROR, TIMED_OUT, CLOSED). */
export async function listen(
  client: SupabaseClient,
  topic: string,
  config: { private?: boolean; broadcast?: { self?: boolean; ack?: boolean } } = { private: true },
): Promise<Listening> {
  // A join refused by the server would be retried with backoff, as realtime-js does; the tests look once.
  const channel = client.channel(topic, { config })
  const listening: Listening = { channel, status: 'pending', broadcasts: [], system: [], statuses: [] }
  channel.on('broadcast', { event: '*' }, (message) => {
    listening.broadcasts.push(message as unknown as Received)
  })
  channel.on('system', {}, (message) => {
    listening.system.push(message as Record<string, unknown>)
  })
  await new Promise<void>((resolve) => {
    channel.subscribe((status, error) => {
      listening.statuses.push(status)
      listening.status = status
      if (error) listening.error = error
      resolve()
    })
  })
  return listening
}

/** Waits until `condition` holds, polling; fails with `what` after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
}

/** Closes every client's realtime socket. */
export async function closeClients(clients: SupabaseClient[]): Promise<void> {
  await Promise.all(clients.map((client) => client.removeAllChannels()))
  for (const client of clients) client.realtime.disconnect()
}
