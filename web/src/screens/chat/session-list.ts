import { useState } from 'preact/hooks'
import { newIdempotencyKey } from '../../api/client.ts'
import { describeError } from '../../api/describe-error.ts'
import type { ChatSession } from '../../api/types.ts'
import { LoadMore } from '../../components/load-more.ts'
import { Empty, ErrorState, Loading } from '../../components/states.ts'
import { useServices } from '../../context.ts'
import { formatDateTime, formatRelative } from '../../format/dates.ts'
import { html } from '../../html.ts'
import { hrefOf } from '../../router/use-route.ts'
import type { KeysetListState } from '../../state/use-keyset-list.ts'

/** The caller's sessions, newest activity first, and the form that starts a new one. */
export function SessionList(props: {
  org: string
  selected: string | undefined
  sessions: KeysetListState<ChatSession>
  onCreated: (session: ChatSession) => void
}) {
  const { sessions } = props
  const list = (() => {
    if (!sessions.list) {
      if (sessions.status === 'error')
        return html`<${ErrorState} error=${sessions.error} retry=${sessions.reload} />`
      return html`<${Loading} label="Loading your chats…" />`
    }
    if (sessions.list.items.length === 0) return html`<${Empty}><p>No chats yet.</p></${Empty}>`
    return html`<ul class="session-list">
      ${sessions.list.items.map(
        (s) => html`<li key=${s.id}>
          <a
            class="session-link"
            href=${hrefOf({ name: 'chat', org: props.org, session: s.id })}
            aria-current=${s.id === props.selected ? 'page' : undefined}
          >
            <span class="session-title">${s.title}</span>
            <time class="session-time" datetime=${s.updated_at} title=${formatDateTime(s.updated_at)}>
              ${formatRelative(s.updated_at)}
            </time>
          </a>
        </li>`,
      )}
    </ul>`
  })()

  return html`<nav class="chat-sessions" aria-label="Your chats">
    <${NewSessionForm} org=${props.org} onCreated=${props.onCreated} />
    ${list}
    <${LoadMore}
      hasMore=${!!sessions.list?.cursor}
      more=${sessions.more}
      onLoad=${sessions.loadMore}
      label="Load older chats"
    />
  </nav>`
}

function NewSessionForm(props: { org: string; onCreated: (session: ChatSession) => void }) {
  const { api } = useServices()
  const [title, setTitle] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  const submit = async (event: Event) => {
    event.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      const trimmed = title.trim()
      const session = await api.post<ChatSession>(`/orgs/${props.org}/chat/sessions`, {
        body: trimmed ? { title: trimmed } : {},
        idempotencyKey: newIdempotencyKey(),
      })
      setTitle('')
      props.onCreated(session)
    } catch (err) {
      setError(describeError(err, 'this chat'))
    } finally {
      setBusy(false)
    }
  }
  return html`<form class="new-session" onSubmit=${submit}>
    <label for="new-session-title">Title <span class="optional">(optional)</span></label>
    <div class="new-session-row">
      <input
        id="new-session-title"
        value=${title}
        maxLength="200"
        placeholder="New chat"
        onInput=${(e: Event) => setTitle((e.target as HTMLInputElement).value)}
      />
      <button type="submit" class="button button-primary" disabled=${busy}>${busy ? 'Starting…' : 'New chat'}</button>
    </div>
    ${error && html`<p class="form-error" role="alert">${error}</p>`}
  </form>`
}
