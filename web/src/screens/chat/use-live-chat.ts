import { useEffect, useRef, useState } from 'preact/hooks'
import type { ChatMessage } from '../../api/types.ts'
import { useServices } from '../../context.ts'
import type { RowChange } from '../../realtime/changes.ts'
import { joinLiveTopic } from '../../realtime/live-topic.ts'

export interface LiveChatHandlers {
  message: (message: ChatMessage) => void
  renamed: (change: RowChange) => void
  deleted: () => void
}

/**
 * Joins the open chat's private topic (`chat:<session id>`, only its own user
 * may join: docs/realtime.md): messages written elsewhere (another tab, an
 * assistant) appear, a rename or delete elsewhere shows. Returns a number
 * that grows when the topic comes back after an outage, to re-read the chat.
 */
export function useLiveChat(sessionId: string, handlers: LiveChatHandlers): number {
  const { auth } = useServices()
  const latest = useRef(handlers)
  latest.current = handlers
  const [resyncs, setResyncs] = useState(0)
  useEffect(() => {
    const topic = joinLiveTopic(auth.supabase, `chat:${sessionId}`)
    const stopListening = topic.listen((change) => {
      if (change.table === 'chat_messages' && change.op === 'INSERT') {
        latest.current.message({ ...(change.record as Omit<ChatMessage, 'id'>), id: change.id })
      } else if (change.table === 'chat_sessions' && change.id === sessionId) {
        if (change.op === 'DELETE') latest.current.deleted()
        else if (change.op === 'UPDATE') latest.current.renamed(change)
      }
    })
    const stopResyncs = topic.resyncs.subscribe(setResyncs)
    return () => {
      stopListening()
      stopResyncs()
      void topic.close()
    }
  }, [sessionId, auth])
  return resyncs
}
