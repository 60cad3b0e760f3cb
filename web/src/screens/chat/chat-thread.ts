import { useEffect, useRef, useState } from 'preact/hooks'
import { isApiError } from '../../api/api-error.ts'
import type { ChatMessage, ChatSession, Page } from '../../api/types.ts'
import { ConfirmDialog } from '../../components/confirm-dialog.ts'
import { RecordDialog } from '../../components/record-dialog.ts'
import { ErrorState, Loading } from '../../components/states.ts'
import { useServices } from '../../context.ts'
import { formatDateTime, formatRelative } from '../../format/dates.ts'
import { html } from '../../html.ts'
import { mergeLiveRecord } from '../../realtime/live-merge.ts'
import { useAsync } from '../../state/use-async.ts'
import { MessageComposer } from './message-composer.ts'
import { appendMessages, receiveMessage, type ShownMessage } from './thread-messages.ts'
import { useLiveChat } from './use-live-chat.ts'

/** Pages read when a chat opens; a longer chat offers the rest with a button. */
const pageSize = 100
const pagesAtOpen = 10

const titleField = [
  { key: 'title', label: 'Title', input: 'text', required: true, autocomplete: 'off' },
] as const

/**
 * One chat: its title (rename, delete) and its messages oldest first, then
 * the box to write the next one. The API lists messages oldest first with a
 * forward cursor, so opening a chat reads on to its latest message.
 */
export function ChatThread(props: {
  sessionId: string
  onChanged: (session: ChatSession) => void
  onDeleted: (id: string) => void
}) {
  const { api, toasts } = useServices()
  const session = useAsync(
    (signal) => api.get<ChatSession>(`/chat/sessions/${props.sessionId}`, { signal }),
    [props.sessionId],
  )
  const resyncs = useLiveChat(props.sessionId, {
    message: (message) => {
      messages.setData((m) => ({ ...m, shown: receiveMessage(m.shown, message) }))
      // A message moves the session's version (updated_at) without a broadcast: read it, so a rename is not stale.
      void refreshSession()
    },
    renamed: (change) =>
      session.setData((s) => {
        const merged = mergeLiveRecord(s, change)
        if (merged !== s) props.onChanged(merged)
        return merged
      }),
    deleted: () => props.onDeleted(props.sessionId),
  })
  const messages = useAsync(
    async (signal) => {
      let shown: ShownMessage[] = []
      let cursor: string | null = null
      for (let i = 0; i < pagesAtOpen; i++) {
        const page: Page<ChatMessage> = await readPage(cursor, signal)
        shown = appendMessages(shown, page.data)
        cursor = page.next_cursor
        if (!cursor) break
      }
      return { shown, cursor }
    },
    // Re-read after an outage of live updates: missed messages are not replayed.
    [props.sessionId, resyncs],
  )
  const [dialog, setDialog] = useState<'rename' | 'delete'>()
  const [moreLoading, setMoreLoading] = useState(false)
  const listRef = useRef<HTMLOListElement>(null)
  const count = messages.data?.shown.length ?? 0

  function readPage(cursor: string | null, signal?: AbortSignal) {
    const query = new URLSearchParams({ limit: String(pageSize) })
    if (cursor) query.set('cursor', cursor)
    return api.get<Page<ChatMessage>>(`/chat/sessions/${props.sessionId}/messages?${query}`, { signal })
  }

  // The latest message in view when the chat opens and when one is added.
  useEffect(() => {
    const list = listRef.current
    if (list) list.scrollTop = list.scrollHeight
  }, [count])

  const refreshSession = async () => {
    const latest = await api.get<ChatSession>(`/chat/sessions/${props.sessionId}`).catch(() => undefined)
    if (latest) {
      session.setData(() => latest)
      props.onChanged(latest)
    }
    return latest
  }

  const loadLater = async () => {
    const cursor = messages.data?.cursor
    if (!cursor) return
    setMoreLoading(true)
    try {
      const page = await readPage(cursor)
      messages.setData((m) => ({ shown: appendMessages(m.shown, page.data), cursor: page.next_cursor }))
    } catch (error) {
      toasts.show('error', isApiError(error) ? error.message : 'The messages could not be loaded.')
    } finally {
      setMoreLoading(false)
    }
  }

  if (!session.data) {
    if (session.status === 'error') {
      if (isApiError(session.error) && session.error.code === 'not_found')
        return html`<div class="state state-empty" role="alert"><p>This chat does not exist, or it is not yours.</p></div>`
      return html`<${ErrorState} error=${session.error} retry=${session.reload} what="this chat" />`
    }
    return html`<${Loading} label="Opening the chat…" />`
  }
  const current = session.data

  return html`<article class="chat-thread" aria-labelledby="chat-title">
    <header class="chat-thread-head">
      <h2 id="chat-title">${current.title}</h2>
      <div class="chat-thread-actions">
        <button type="button" class="button button-quiet" onClick=${() => setDialog('rename')}>Rename</button>
        <button type="button" class="button button-quiet button-danger" onClick=${() => setDialog('delete')}>Delete</button>
      </div>
    </header>
    ${
      !messages.data
        ? messages.status === 'error'
          ? html`<${ErrorState} error=${messages.error} retry=${messages.reload} what="this chat" />`
          : html`<${Loading} label="Loading messages…" />`
        : html`<ol class="messages" ref=${listRef} role="log" aria-live="polite" aria-label="Conversation">
            ${messages.data.shown.length === 0 && html`<li class="messages-empty">No messages yet: write the first one below.</li>`}
            ${messages.data.shown.map(
              (
                m,
              ) => html`<li key=${m.id} class=${`message message-${m.role}${m.pending ? ' is-pending' : ''}`}>
                <p class="message-content">${m.content}</p>
                <p class="message-meta">
                  ${`${authorOf(m.role)} · `}
                  ${
                    m.pending
                      ? html`<span>Sending…</span>`
                      : html`<time datetime=${m.created_at} title=${formatDateTime(m.created_at)}>${formatRelative(m.created_at)}</time>`
                  }
                </p>
              </li>`,
            )}
            ${
              messages.data.cursor &&
              html`<li class="messages-more">
                <button type="button" class="button" disabled=${moreLoading} onClick=${loadLater}>
                  ${moreLoading ? 'Loading…' : 'Load later messages'}
                </button>
              </li>`
            }
          </ol>`
    }
    <${MessageComposer}
      sessionId=${props.sessionId}
      disabled=${!messages.data}
      change=${(update: (shown: ShownMessage[]) => ShownMessage[]) =>
        messages.setData((m) => ({ ...m, shown: update(m.shown) }))}
      onSent=${refreshSession}
    />
    ${
      dialog === 'rename' &&
      html`<${RecordDialog}
        title="Rename chat"
        submitLabel="Save title"
        fields=${titleField}
        record=${current}
        what="this chat"
        onSubmit=${async (body: Record<string, unknown>) => {
          const saved = await api.patch<ChatSession>(`/chat/sessions/${current.id}`, {
            body,
            ifMatch: current.version,
          })
          session.setData(() => saved)
          props.onChanged(saved)
        }}
        onStale=${refreshSession}
        onClose=${() => setDialog(undefined)}
      />`
    }
    ${
      dialog === 'delete' &&
      html`<${ConfirmDialog}
        title="Delete chat?"
        message=${`“${current.title}” and all its messages will be deleted. This cannot be undone.`}
        confirmLabel="Delete chat"
        what="this chat"
        onConfirm=${async () => {
          try {
            await api.delete(`/chat/sessions/${current.id}`, { ifMatch: current.version })
          } catch (error) {
            if (isApiError(error) && error.code === 'precondition_failed') await refreshSession()
            throw error
          }
          toasts.show('success', `“${current.title}” was deleted.`)
          props.onDeleted(current.id)
        }}
        onClose=${() => setDialog(undefined)}
      />`
    }
  </article>`
}

const authorOf = (role: ShownMessage['role']) =>
  role === 'user' ? 'You' : role === 'assistant' ? 'Assistant' : 'System'
