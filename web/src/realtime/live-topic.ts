import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js'
import { createStore, type Store } from '../state/store.ts'
import { isRowChange, type RowChange } from './changes.ts'

export type LiveStatus = 'connecting' | 'live' | 'offline'

export interface LiveTopic {
  /** Whether changes are arriving now: shown in the header. */
  status: Store<LiveStatus>
  /**
   * Counts the times the channel came back after being down. Screens reload
   * when it changes: events missed while offline are never replayed, the
   * API is the copy of record.
   */
  resyncs: Store<number>
  listen(listener: (change: RowChange) => void): () => void
  close(): Promise<void>
}

/** Waits before joining again after the server closed the channel: 1 s, 2 s, 4 s … at most 30 s. */
export const rejoinDelayMs = (attempt: number) => Math.min(30_000, 1_000 * 2 ** attempt)

/**
 * A private broadcast channel (Realtime authorises the join with the RLS
 * policies on realtime.messages), shared by every screen of the organization.
 * supabase-js rejoins by itself after a network loss or a server restart and
 * passes refreshed tokens on; a channel the server closed (an expired or
 * revoked token) is joined again here, with the current token, after a pause.
 */
export function joinLiveTopic(
  supabase: SupabaseClient,
  topic: string,
  options: {
    /**
     * The organization's topic moved (someone left: only current members may
     * join the new one, and nothing more is sent here): fetch it again and join that.
     */
    onRotated?: () => void
    /** Where the resync count starts: a topic that replaces another one continues its count. */
    resyncsFrom?: number
  } = {},
): LiveTopic {
  const status = createStore<LiveStatus>('connecting')
  const resyncs = createStore(options.resyncsFrom ?? 0)
  const listeners = new Set<(change: RowChange) => void>()
  let wasDown = false
  let closed = false
  let attempt = 0
  let channel: RealtimeChannel | undefined
  let retry: ReturnType<typeof setTimeout> | undefined

  const down = () => {
    status.set('offline')
    wasDown = true
  }

  async function join() {
    // supabase-js hands the session's token to Realtime asynchronously after
    // sign-in: set it first, or a private join would go out with the anon key.
    await supabase.realtime.setAuth()
    if (closed) return
    const current = supabase.channel(topic, { config: { private: true } })
    channel = current
    current.on('broadcast', { event: 'topic_rotated' }, () => {
      if (!closed && channel === current) options.onRotated?.()
    })
    current.on('broadcast', { event: '*' }, (message: { payload?: unknown }) => {
      if (!isRowChange(message.payload)) return
      for (const listener of [...listeners]) listener(message.payload)
    })
    current.subscribe((state) => {
      if (closed || channel !== current) return
      if (state === 'SUBSCRIBED') {
        status.set('live')
        attempt = 0
        if (wasDown) resyncs.set((n) => n + 1)
        wasDown = false
      } else if (state === 'CHANNEL_ERROR') {
        down() // realtime-js rejoins this one by itself
      } else if (state === 'CLOSED' || state === 'TIMED_OUT') {
        down()
        retry = setTimeout(() => {
          void supabase.removeChannel(current).finally(() => {
            if (!closed) void join().catch(down)
          })
        }, rejoinDelayMs(attempt++))
      }
    })
  }
  void join().catch(down)

  return {
    status,
    resyncs,
    listen(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async close() {
      closed = true
      clearTimeout(retry)
      listeners.clear()
      if (channel) await supabase.removeChannel(channel)
    },
  }
}
