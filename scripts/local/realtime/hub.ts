import { encodeMessage, type PhoenixMessage, type Vsn } from './protocol.ts'

/** What the hub needs of a client socket (a `ws` WebSocket fits). */
export interface ClientSocket {
  readonly bufferedAmount: number
  /** WebSocket.OPEN is 1; a closing or closed socket gets nothing more. */
  readonly readyState: number
  send(data: string): void
  terminate(): void
}

/** One joined channel: a socket listening on a topic, private or public. */
export interface Subscription {
  socket: ClientSocket
  vsn: Vsn
  /** The full channel topic, `realtime:<name>`. */
  topic: string
  private: boolean
}

const open = 1

export interface HubOptions {
  /** A socket whose unsent data exceeds this is a slow consumer: it is terminated, never waited for. */
  maxBufferedBytes: number
  log: (line: string) => void
}

/**
 * Topic → subscriptions, and fan-out. Sending never waits: `ws` queues the
 * frame on the socket, and a socket whose queue has grown past the bound is
 * cut off (the client reconnects and re-fetches), so one slow reader cannot
 * hold up the others or grow the server's memory without limit.
 */
export function createHub(options: HubOptions) {
  const byTopic = new Map<string, Set<Subscription>>()

  function send(socket: ClientSocket, frame: string): boolean {
    if (socket.readyState !== open) return false
    if (socket.bufferedAmount > options.maxBufferedBytes) {
      options.log(`realtime: terminating a slow consumer (${socket.bufferedAmount} bytes unsent)`)
      socket.terminate()
      return false
    }
    socket.send(frame)
    return true
  }

  return {
    send,
    add(subscription: Subscription) {
      const set = byTopic.get(subscription.topic) ?? new Set()
      set.add(subscription)
      byTopic.set(subscription.topic, set)
    },
    remove(subscription: Subscription) {
      const set = byTopic.get(subscription.topic)
      if (!set) return
      set.delete(subscription)
      if (set.size === 0) byTopic.delete(subscription.topic)
    },
    /**
     * Sends `message` to every subscription of its topic with the same privacy
     * (a private message never reaches a public channel of the same name, as on
     * Supabase), except `except`. Encodes once per protocol version. Returns how
     * many sockets it was handed to.
     */
    publish(message: PhoenixMessage, isPrivate: boolean, except?: Subscription): number {
      const set = byTopic.get(message.topic)
      if (!set) return 0
      const frames: Partial<Record<Vsn, string>> = {}
      let sent = 0
      for (const subscription of [...set]) {
        if (subscription === except || subscription.private !== isPrivate) continue
        const frame = frames[subscription.vsn] ?? encodeMessage(message, subscription.vsn)
        frames[subscription.vsn] = frame
        if (send(subscription.socket, frame)) sent++
      }
      return sent
    },
    subscriberCount(topic: string): number {
      return byTopic.get(topic)?.size ?? 0
    },
  }
}

export type Hub = ReturnType<typeof createHub>
