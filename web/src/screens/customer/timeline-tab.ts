import { useState } from 'preact/hooks'
import { newIdempotencyKey } from '../../api/client.ts'
import { describeError } from '../../api/describe-error.ts'
import type { Page, TimelineEvent } from '../../api/types.ts'
import { LoadMore } from '../../components/load-more.ts'
import { Empty, ErrorState, Loading } from '../../components/states.ts'
import { useServices, useViewer } from '../../context.ts'
import { eventTypeLabels } from '../../domain.ts'
import { formatDateTime, formatRelative } from '../../format/dates.ts'
import { html } from '../../html.ts'
import { useLiveChanges, useResyncs } from '../../realtime/live-context.ts'
import { prependItem } from '../../state/keyset-list.ts'
import { useKeysetList } from '../../state/use-keyset-list.ts'
import { memberName, useMembers } from '../../state/use-members.ts'
import type { TabProps } from './child-tab.ts'

/** The customer's audit trail, newest first; writers add notes to it. */
export function TimelineTab(props: TabProps) {
  const { api } = useServices()
  const { org } = useViewer()
  const members = useMembers(org.org_id)
  const resyncs = useResyncs()
  const events = useKeysetList<TimelineEvent>(
    (cursor, signal) => {
      const query = new URLSearchParams({ limit: '50' })
      if (cursor) query.set('cursor', cursor)
      return api.get<Page<TimelineEvent>>(`/customers/${props.customerId}/timeline?${query}`, { signal })
    },
    [props.customerId, resyncs],
  )
  // New events arrive live with every published column: shown first, once.
  useLiveChanges((change) => {
    if (change.table !== 'timeline_events' || change.op !== 'INSERT') return
    if (change.customer_id !== props.customerId) return
    const event = { ...change.record, id: change.id, org_id: org.org_id, customer_id: props.customerId }
    events.update((l) => prependItem(l, event as TimelineEvent))
  })

  const onNote = (event: TimelineEvent) => {
    events.update((l) => prependItem(l, event))
    props.onCountChange(1)
  }

  const body = (() => {
    if (!events.list) {
      if (events.status === 'error')
        return html`<${ErrorState} error=${events.error} retry=${events.reload} />`
      return html`<${Loading} label="Loading the timeline…" />`
    }
    if (events.list.items.length === 0) return html`<${Empty}><p>Nothing has happened yet.</p></${Empty}>`
    return html`<ol class="timeline">
      ${events.list.items.map(
        (e) => html`<li key=${e.id} class=${`timeline-event event-${e.type}`}>
          <span class="event-type">${eventTypeLabels[e.type] ?? e.type}</span>
          <p class="event-description">${e.description}</p>
          <p class="event-meta">
            ${`${e.actor_id ? memberName(members.data, e.actor_id) : 'Automatic'} · `}
            <time datetime=${e.occurred_at} title=${formatDateTime(e.occurred_at)}>${formatRelative(e.occurred_at)}</time>
          </p>
        </li>`,
      )}
    </ol>`
  })()

  return html`<div class="timeline-tab">
    ${props.canWrite && html`<${NoteForm} customerId=${props.customerId} onAdded=${onNote} />`}
    ${body}
    <${LoadMore}
      hasMore=${!!events.list?.cursor}
      more=${events.more}
      onLoad=${events.loadMore}
      label="Load older events"
    />
  </div>`
}

function NoteForm(props: { customerId: string; onAdded: (event: TimelineEvent) => void }) {
  const { api, toasts } = useServices()
  const [text, setText] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  const submit = async (event: Event) => {
    event.preventDefault()
    const description = text.trim()
    if (!description) return setError('Write the note first.')
    setBusy(true)
    setError(undefined)
    try {
      const added = await api.post<TimelineEvent>(`/customers/${props.customerId}/timeline`, {
        body: { description },
        idempotencyKey: newIdempotencyKey(),
      })
      props.onAdded(added)
      setText('')
      toasts.show('success', 'Note added to the timeline.')
    } catch (err) {
      setError(describeError(err, 'this customer'))
    } finally {
      setBusy(false)
    }
  }
  return html`<form class="note-form" onSubmit=${submit}>
    <label for="note-text">Add a note</label>
    <textarea
      id="note-text"
      rows="2"
      maxLength="2000"
      value=${text}
      onInput=${(e: Event) => setText((e.target as HTMLTextAreaElement).value)}
    ></textarea>
    ${error && html`<p class="form-error" role="alert">${error}</p>`}
    <div class="form-actions">
      <button type="submit" class="button button-primary" disabled=${busy}>${busy ? 'Adding…' : 'Add note'}</button>
    </div>
  </form>`
}
