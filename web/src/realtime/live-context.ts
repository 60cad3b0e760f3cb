import type { ComponentChildren } from 'preact'
import { createContext } from 'preact'
import { useContext, useEffect, useRef, useState } from 'preact/hooks'
import { useServices } from '../context.ts'
import { html } from '../html.ts'
import { useStore } from '../state/store.ts'
import type { RowChange } from './changes.ts'
import { joinLiveTopic, type LiveTopic } from './live-topic.ts'

const LiveContext = createContext<LiveTopic | null>(null)

/**
 * Joins the organization's live topic (`org:<key>`, from GET /me) for as long
 * as its screens are shown. When someone leaves the organization its topic
 * moves: `onRotated` fetches the new one, and joining it counts as a resync,
 * so the screens re-read what was said in between.
 */
export function LiveProvider({
  topic: name,
  onRotated,
  children,
}: {
  topic: string
  onRotated: () => void
  children: ComponentChildren
}) {
  const { auth } = useServices()
  const [topic, setTopic] = useState<LiveTopic | null>(null)
  const previous = useRef<LiveTopic | null>(null)
  const rotated = useRef(onRotated)
  rotated.current = onRotated
  useEffect(() => {
    const before = previous.current
    const joined = joinLiveTopic(auth.supabase, name, {
      onRotated: () => rotated.current(),
      resyncsFrom: before ? before.resyncs.get() + 1 : 0,
    })
    previous.current = joined
    setTopic(joined)
    return () => {
      void joined.close()
    }
  }, [name, auth])
  return html`<${LiveContext.Provider} value=${topic}>${children}</${LiveContext.Provider}>`
}

export const useLiveTopic = () => useContext(LiveContext)

/**
 * Calls `listener` for every change broadcast to the organization while the
 * component is shown. The latest listener is used, so it may close over state.
 */
export function useLiveChanges(listener: (change: RowChange) => void): void {
  const topic = useLiveTopic()
  const latest = useRef(listener)
  latest.current = listener
  useEffect(() => topic?.listen((change) => latest.current(change)), [topic])
}

/** A number that grows each time live updates come back after an outage: put it in a load's deps to re-fetch. */
export function useResyncs(): number {
  const topic = useLiveTopic()
  const [fallback] = useState(() => ({ get: () => 0, set() {}, subscribe: () => () => {} }))
  return useStore(topic?.resyncs ?? fallback)
}

/** "Live" or "Reconnecting…" for the header, announced politely when it changes. */
export function LiveStatusBadge() {
  const topic = useLiveTopic()
  const [fallback] = useState(() => ({
    get: () => 'connecting' as const,
    set() {},
    subscribe: () => () => {},
  }))
  const status = useStore(topic?.status ?? fallback)
  const text = status === 'live' ? 'Live' : status === 'offline' ? 'Reconnecting…' : 'Connecting…'
  return html`<span class=${`live-status live-${status}`} role="status" title="Live updates">${text}</span>`
}
