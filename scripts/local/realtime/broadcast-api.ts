import { Hono } from 'hono'
import type { Database } from '../../../functions/db/database.ts'
import { canWriteTopic } from './authorize.ts'
import type { Hub } from './hub.ts'
import type { TokenCheck } from './tokens.ts'

interface BroadcastMessage {
  topic: string
  event: string
  payload: unknown
  private: boolean
}

/**
 * `POST /api/broadcast` (mounted at /realtime/v1), what realtime-js's send()
 * uses before a channel is joined, as Realtime.Tenants.BatchBroadcast answers
 * it: `{messages: [{topic, event, payload, private?}]}` → 202 with no body.
 * Public messages always go out; private ones only to topics the caller may
 * write (the insert policy probe), others are dropped silently; the service
 * role writes everywhere.
 */
export function createBroadcastApp(options: {
  db: Database
  hub: Hub
  checkToken: (token: string) => Promise<TokenCheck>
}) {
  return new Hono().post('/api/broadcast', async function broadcast(c) {
    const bearer = c.req.header('authorization')?.replace(/^Bearer\s+/i, '')
    const token = bearer ?? c.req.header('apikey')
    if (!token) return c.json({ message: 'Missing authorization' }, 401)
    const check = await options.checkToken(token)
    if (!check.ok) return c.json({ message: `${check.code}: ${check.message}` }, 401)

    const messages = parseMessages(await c.req.json().catch(() => undefined))
    if (!messages) return c.json({ message: 'messages: each needs a topic, an event and a payload' }, 422)

    const allowed = new Map<string, boolean>()
    for (const message of messages) {
      if (message.private && check.identity.role !== 'service_role') {
        let may = allowed.get(message.topic)
        if (may === undefined) {
          may = await canWriteTopic(options.db, message.topic, check.identity).catch(() => false)
          allowed.set(message.topic, may)
        }
        if (!may) continue
      }
      options.hub.publish(
        {
          joinRef: null,
          ref: null,
          topic: `realtime:${message.topic}`,
          event: 'broadcast',
          payload: { type: 'broadcast', event: message.event, payload: message.payload },
        },
        message.private,
      )
    }
    return c.body(null, 202)
  })
}

function parseMessages(body: unknown): BroadcastMessage[] | undefined {
  const list = (body as { messages?: unknown } | undefined)?.messages
  if (!Array.isArray(list) || list.length === 0) return undefined
  const messages: BroadcastMessage[] = []
  for (const item of list) {
    const m = item as Record<string, unknown> | null
    if (!m || typeof m.topic !== 'string' || typeof m.event !== 'string' || m.payload === undefined)
      return undefined
    messages.push({ topic: m.topic, event: m.event, payload: m.payload, private: m.private === true })
  }
  return messages
}
