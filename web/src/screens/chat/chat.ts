import type { ChatSession, Page } from '../../api/types.ts'
import { useServices, useViewer } from '../../context.ts'
import { html } from '../../html.ts'
import type { Route } from '../../router/routes.ts'
import { hrefOf, navigate } from '../../router/use-route.ts'
import { prependItem, removeItem } from '../../state/keyset-list.ts'
import { useKeysetList } from '../../state/use-keyset-list.ts'
import { ChatThread } from './chat-thread.ts'
import { SessionList } from './session-list.ts'

type ChatRoute = Extract<Route, { name: 'chat' }>

/**
 * The caller's chats: sessions on the left (newest activity first), the
 * chosen one on the right; on a phone, one pane at a time. The list of
 * sessions lives here, so a rename, a new message or a live update reorders it.
 */
export function Chat({ route }: { route: ChatRoute }) {
  const { api } = useServices()
  const { org } = useViewer()
  const sessions = useKeysetList<ChatSession>(
    (cursor, signal) => {
      const query = new URLSearchParams({ limit: '30' })
      if (cursor) query.set('cursor', cursor)
      return api.get<Page<ChatSession>>(`/orgs/${org.org_id}/chat/sessions?${query}`, { signal })
    },
    [org.org_id],
  )

  // Any activity (rename, message) makes a session the newest: it moves to the top.
  const onChanged = (session: ChatSession) => sessions.update((l) => prependItem(l, session))
  const onDeleted = (id: string) => {
    sessions.update((l) => removeItem(l, id))
    navigate({ name: 'chat', org: route.org }, { replace: true })
  }

  return html`<section class=${`screen chat${route.session ? ' has-session' : ''}`}>
    <h1 class="chat-heading">Chat</h1>
    <div class="chat-panes">
      <${SessionList}
        org=${route.org}
        selected=${route.session}
        sessions=${sessions}
        onCreated=${(session: ChatSession) => {
          onChanged(session)
          navigate({ name: 'chat', org: route.org, session: session.id })
        }}
      />
      <div class="chat-thread-pane">
        ${
          route.session
            ? html`<a class="chat-back" href=${hrefOf({ name: 'chat', org: route.org })}>← All chats</a>
                <${ChatThread} key=${route.session} sessionId=${route.session} onChanged=${onChanged} onDeleted=${onDeleted} />`
            : html`<div class="chat-placeholder state"><p>Choose a chat, or start a new one.</p></div>`
        }
      </div>
    </div>
  </section>`
}
