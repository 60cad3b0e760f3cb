import type { Database } from '../../../functions/db/database.ts'
import { canReadTopic, canWriteTopic } from './authorize.ts'
import type { ClientSocket, Hub, Subscription } from './hub.ts'
import { encodeMessage, type PhoenixMessage, reply, type Vsn } from './protocol.ts'
import type { RealtimeIdentity, TokenCheck } from './tokens.ts'

export interface ConnectionContext {
  db: Database
  hub: Hub
  checkToken: (token: string) => Promise<TokenCheck>
  log: (line: string) => void
  now: () => number
}

/** A joined channel (RealtimeWeb.RealtimeChannel's assigns, the parts we use). */
interface Channel extends Subscription {
  subTopic: string
  joinRef: string | null
  selfBroadcast: boolean
  ack: boolean
  token: string
  identity: RealtimeIdentity
  /** Whether this token may broadcast here: probed on first use, forgotten on a new token. */
  canWrite?: boolean
  tokenTimer?: NodeJS.Timeout
}

/** The Realtime server re-checks a channel's token at least this often, and when it expires. */
const confirmTokenIntervalMs = 5 * 60_000
const channelPrefix = 'realtime:'

/**
 * One client socket: its channels and the events realtime-js sends on them.
 * Messages are handled one at a time, in order, as a Phoenix channel process
 * does: a broadcast pushed right after a join waits for the join's answer.
 */
export function createConnection(socket: ClientSocket, vsn: Vsn, apiKey: string, ctx: ConnectionContext) {
  const channels = new Map<string, Channel>()
  let queue = Promise.resolve()
  let closed = false

  const push = (message: PhoenixMessage) => {
    if (!closed) ctx.hub.send(socket, encodeMessage(message, vsn))
  }
  const pushSystem = (channel: Channel, extension: string, status: 'ok' | 'error', message: string) =>
    push({
      joinRef: channel.joinRef,
      ref: null,
      topic: channel.topic,
      event: 'system',
      payload: { extension, status, message, channel: channel.subTopic },
    })

  function drop(channel: Channel) {
    clearTimeout(channel.tokenTimer)
    ctx.hub.remove(channel)
    if (channels.get(channel.topic) === channel) channels.delete(channel.topic)
  }

  /** The server closes a channel: a system message saying why, then phx_close (shutdown_response). */
  function shutdown(channel: Channel, message: string) {
    ctx.log(`realtime: closing ${channel.topic}: ${message}`)
    pushSystem(channel, 'system', 'error', message)
    push({
      joinRef: channel.joinRef,
      ref: channel.joinRef,
      topic: channel.topic,
      event: 'phx_close',
      payload: {},
    })
    drop(channel)
  }

  function scheduleTokenCheck(channel: Channel) {
    clearTimeout(channel.tokenTimer)
    const delay = Math.max(0, Math.min(confirmTokenIntervalMs, channel.identity.exp * 1000 - ctx.now()))
    channel.tokenTimer = setTimeout(() => {
      enqueue(async () => {
        if (channels.get(channel.topic) !== channel) return
        const check = await ctx.checkToken(channel.token)
        if (check.ok) scheduleTokenCheck(channel)
        else shutdown(channel, check.message)
      })
    }, delay)
    channel.tokenTimer.unref()
  }

  async function join(message: PhoenixMessage) {
    const fail = (reason: string) => push(reply(message, 'error', { reason }))
    const subTopic = message.topic.slice(channelPrefix.length)
    if (!subTopic) return fail('TopicNameRequired: You must provide a topic name')
    const payload = asRecord(message.payload)
    const config = asRecord(payload.config)
    const broadcast = asRecord(config.broadcast)
    const isPrivate = config.private === true
    const token = pickToken(payload, apiKey)

    const check = await ctx.checkToken(token)
    if (!check.ok) return fail(`${check.code}: ${check.message}`)
    if (isPrivate) {
      const allowed = await probe(() => canReadTopic(ctx.db, subTopic, check.identity))
      if (allowed === 'unavailable')
        return fail('UnableToConnectToProject: Realtime was unable to connect to the project database')
      if (!allowed)
        return fail(`Unauthorized: You do not have permissions to read from this Channel topic: ${subTopic}`)
    }
    if (closed) return

    // Joining a topic again replaces the earlier channel (Phoenix closes the old one).
    const previous = channels.get(message.topic)
    if (previous) {
      push({
        joinRef: previous.joinRef,
        ref: previous.joinRef,
        topic: previous.topic,
        event: 'phx_close',
        payload: {},
      })
      drop(previous)
    }
    const channel: Channel = {
      socket,
      vsn,
      topic: message.topic,
      private: isPrivate,
      subTopic,
      joinRef: message.joinRef,
      selfBroadcast: broadcast.self === true,
      ack: broadcast.ack === true,
      token,
      identity: check.identity,
    }
    channels.set(message.topic, channel)
    ctx.hub.add(channel)
    const postgresChanges = Array.isArray(config.postgres_changes)
      ? config.postgres_changes.filter((p) => p && typeof p === 'object').map((p) => ({ ...p, id: hash(p) }))
      : []
    push(reply(message, 'ok', { postgres_changes: postgresChanges }))
    if (postgresChanges.length > 0)
      pushSystem(
        channel,
        'postgres_changes',
        'error',
        'postgres_changes is not available on the local realtime server: the database broadcasts its changes',
      )
    scheduleTokenCheck(channel)
  }

  async function refreshToken(channel: Channel, payload: Record<string, unknown>) {
    const token = payload.access_token
    // As the server: a publishable key, the same token or none changes nothing.
    if (typeof token !== 'string' || token.startsWith('sb_') || token === channel.token) return
    const check = await ctx.checkToken(token)
    if (!check.ok) return shutdown(channel, check.message)
    if (channel.private) {
      const allowed = await probe(() => canReadTopic(ctx.db, channel.subTopic, check.identity))
      if (allowed === 'unavailable')
        return shutdown(channel, 'Realtime was unable to connect to the project database')
      if (!allowed)
        return shutdown(
          channel,
          `You do not have permissions to read from this Channel topic: ${channel.subTopic}`,
        )
    }
    channel.token = token
    channel.identity = check.identity
    channel.canWrite = undefined
    scheduleTokenCheck(channel)
  }

  async function broadcast(channel: Channel, message: PhoenixMessage) {
    const payload = asRecord(message.payload)
    if (channel.private) {
      if (channel.canWrite === undefined) {
        const allowed = await probe(() => canWriteTopic(ctx.db, channel.subTopic, channel.identity))
        if (allowed === 'unavailable') return
        channel.canWrite = allowed
      }
      // A refused broadcast is dropped without a reply, as on Supabase.
      if (!channel.canWrite) return
    }
    ctx.hub.publish(
      {
        joinRef: null,
        ref: null,
        topic: channel.topic,
        event: 'broadcast',
        payload: { type: 'broadcast', event: payload.event, payload: payload.payload },
      },
      channel.private,
      channel.selfBroadcast ? undefined : channel,
    )
    if (channel.ack) push(reply(message, 'ok'))
  }

  async function handle(message: PhoenixMessage) {
    if (message.topic === 'phoenix') {
      if (message.event === 'heartbeat') push(reply(message, 'ok'))
      return
    }
    if (message.event === 'phx_join') {
      if (!message.topic.startsWith(channelPrefix))
        return push(reply(message, 'error', { reason: 'unmatched topic' }))
      return join(message)
    }
    const channel = channels.get(message.topic)
    if (!channel) return push(reply(message, 'error', { reason: 'unmatched topic' }))
    switch (message.event) {
      case 'phx_leave':
        drop(channel)
        return push(reply(message, 'ok'))
      case 'access_token':
        return refreshToken(channel, asRecord(message.payload))
      case 'broadcast':
        return broadcast(channel, message)
      case 'presence':
        return push(
          reply(message, 'error', { reason: 'Presence is not available on the local realtime server' }),
        )
      default:
        // The server ignores what it does not know (it only logs it).
        return
    }
  }

  function enqueue(task: () => Promise<void>) {
    queue = queue.then(task).catch((error: unknown) => {
      ctx.log(`realtime: ${error instanceof Error ? error.message : String(error)}`)
    })
  }

  return {
    receive(message: PhoenixMessage) {
      enqueue(() => handle(message))
    },
    close() {
      closed = true
      for (const channel of [...channels.values()]) drop(channel)
    },
    get channelCount() {
      return channels.size
    },
  }
}

/** A probe's answer, or 'unavailable' when the database could not answer it. */
async function probe(run: () => Promise<boolean>): Promise<boolean | 'unavailable'> {
  try {
    return await run()
  } catch (error) {
    // An error raised inside a policy is a refusal (RlsPolicyError); anything else is the database.
    if (
      typeof (error as { code?: unknown }).code === 'string' &&
      /^[0-9A-Z]{5}$/.test((error as { code: string }).code)
    )
      return false
    return 'unavailable'
  }
}

/** The channel's token: the join's access_token (a publishable `sb_` key means the API key), else the API key. */
function pickToken(payload: Record<string, unknown>, apiKey: string): string {
  const token = payload.access_token ?? payload.user_token
  if (typeof token !== 'string' || token.startsWith('sb_')) return apiKey
  return token
}

function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
}

/** A stable integer per postgres_changes binding, like the server's :erlang.phash2(params). */
function hash(value: unknown): number {
  let h = 0
  for (const char of JSON.stringify(value)) h = (Math.imul(31, h) + char.charCodeAt(0)) >>> 0
  return h
}
