import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import type { Hono } from 'hono'
import { WebSocketServer } from 'ws'
import type { Database } from '../../../functions/db/database.ts'
import { createBroadcastApp } from './broadcast-api.ts'
import { createConnection } from './connection.ts'
import { startFeed } from './feed.ts'
import { createHub } from './hub.ts'
import { decodeFrame, ProtocolError, parseVsn } from './protocol.ts'
import { createTokenChecker } from './tokens.ts'

export interface LocalRealtimeOptions {
  db: Database
  /** The HS256 secret that signs user tokens and the API keys. */
  jwtSecret: string
  anonKey: string
  log?: (line: string) => void
  /** A socket with more unsent bytes than this is cut off (default 4 MiB). */
  maxBufferedBytes?: number
  /** How long realtime.messages keeps rows (default an hour). */
  retentionMs?: number
}

export interface LocalRealtime {
  /** Takes the upgrade when the path is /realtime/v1/websocket and returns true; otherwise false. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean
  /** Mount at /realtime/v1: POST /api/broadcast. */
  broadcastApp: Hono
  /** Resolves once the server is listening to the database (messages before that are not delivered). */
  ready: Promise<void>
  /** Open sockets, for tests and load measurements. */
  readonly socketCount: number
  close(): Promise<void>
}

export const websocketPath = '/realtime/v1/websocket'
/** The largest frame a client may send, like the Realtime server's default payload limit (3,000 KB). */
const maxPayloadBytes = 3_000 * 1024

/**
 * The local stand-in for Supabase Realtime: the Phoenix channel protocol as
 * realtime-js speaks it, private channels authorised by the RLS policies on
 * realtime.messages, and broadcasts from the database (realtime.send) fed by
 * LISTEN/NOTIFY from the platform shim. See docs/realtime.md.
 */
export function createLocalRealtime(options: LocalRealtimeOptions): LocalRealtime {
  const log = options.log ?? (() => {})
  const checkToken = createTokenChecker(options.jwtSecret)
  const hub = createHub({ maxBufferedBytes: options.maxBufferedBytes ?? 4 * 1024 * 1024, log })
  const wss = new WebSocketServer({ noServer: true, maxPayload: maxPayloadBytes })
  const context = { db: options.db, hub, checkToken, log, now: Date.now }

  let stopFeed: (() => Promise<void>) | undefined
  const ready = startFeed({
    db: options.db,
    log,
    retentionMs: options.retentionMs,
    onMessage: (message) => {
      hub.publish(
        {
          joinRef: null,
          ref: null,
          topic: `realtime:${message.topic}`,
          event: 'broadcast',
          payload: {
            type: 'broadcast',
            event: message.event,
            payload: message.payload,
            meta: { id: message.id },
          },
        },
        message.private,
      )
    },
  }).then((stop) => {
    stopFeed = stop
  })
  ready.catch((error: unknown) => log(`realtime: cannot listen to the database: ${error}`))

  async function acceptsApiKey(apiKey: string): Promise<boolean> {
    if (apiKey === options.anonKey) return true
    return (await checkToken(apiKey)).ok
  }

  function refuse(socket: Duplex, status: number, reason: string, message: string) {
    const body = JSON.stringify({ message })
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    )
  }

  return {
    handleUpgrade(req, socket, head) {
      const url = new URL(req.url ?? '/', 'http://localhost')
      if (url.pathname !== websocketPath && url.pathname !== `${websocketPath}/`) return false
      // Node hands over the socket without an error listener: until ws adds its own, a
      // client that goes away (ECONNRESET) must not become an uncaught exception.
      const onEarlyError = () => socket.destroy()
      socket.on('error', onEarlyError)
      const vsn = parseVsn(url.searchParams.get('vsn'))
      const apiKey = url.searchParams.get('apikey') ?? headerValue(req.headers.apikey)
      if (!vsn) {
        refuse(socket, 400, 'Bad Request', 'Unsupported vsn: use 1.0.0 or 2.0.0')
        return true
      }
      if (!apiKey) {
        refuse(socket, 401, 'Unauthorized', 'No API key found in request')
        return true
      }
      acceptsApiKey(apiKey).then(
        (accepted) => {
          if (!accepted) return refuse(socket, 401, 'Unauthorized', 'Invalid authentication credentials')
          socket.off('error', onEarlyError)
          wss.handleUpgrade(req, socket, head, (ws) => {
            const connection = createConnection(ws, vsn, apiKey, context)
            ws.on('message', (data, isBinary) => {
              try {
                connection.receive(decodeFrame(toBuffer(data), isBinary, vsn))
              } catch (error) {
                // A frame we cannot read is logged and ignored, as Phoenix does; it never stops the server.
                log(
                  `realtime: ${error instanceof ProtocolError ? '' : 'unreadable frame: '}${(error as Error).message}`,
                )
              }
            })
            ws.on('close', () => connection.close())
            ws.on('error', () => connection.close())
          })
        },
        () => refuse(socket, 500, 'Internal Server Error', 'Could not check the API key'),
      )
      return true
    },
    broadcastApp: createBroadcastApp({ db: options.db, hub, checkToken }),
    ready,
    get socketCount() {
      return wss.clients.size
    },
    async close() {
      for (const ws of wss.clients) ws.terminate()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
      await ready.catch(() => {})
      await stopFeed?.()
    },
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

function toBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Buffer.isBuffer(data)) return data
  if (Array.isArray(data)) return Buffer.concat(data)
  return Buffer.from(data)
}
