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

/**
 * A private broadcast channel (Realtime authorises the join with the RLS
 * policies on realtime.messages), shared by every screen of the organization.
 * supabase-js keeps the socket's token current (realtime.setAuth on refresh)
 * and rejoins after a network loss or a server restart by itself.
 */
export function joinLiveTopic(supabase: SupabaseClient, topic: string): LiveTopic {
  const status = createStore<LiveStatus>('connecting')
  const resyncs = createStore(0)
  const listeners = new Set<(change: RowChange) => void>()
  let wasDown = false

  const channel: RealtimeChannel = supabase.channel(topic, { config: { private: true } })
  channel.on('broadcast', { event: '*' }, (message: { payload?: unknown }) => {
    if (!isRowChange(message.payload)) return
    for (const listener of [...listeners]) listener(message.payload)
  })
  channel.subscribe((state) => {
    if (state === 'SUBSCRIBED') {
      status.set('live')
      if (wasDown) resyncs.set((n) => n + 1)
      wasDown = false
    } else if (state === 'CHANNEL_ERROR' || state === 'TIMED_OUT' || state === 'CLOSED') {
      status.set('offline')
      wasDown = true
    }
  })

  return {
    status,
    resyncs,
    listen(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async close() {
      listeners.clear()
      await supabase.removeChannel(channel)
    },
  }
}
