import type { Member, MetricsOverview } from '../../api/types.ts'
import { Empty } from '../../components/states.ts'
import { eventTypeLabels } from '../../domain.ts'
import { formatDateTime, formatRelative } from '../../format/dates.ts'
import { html } from '../../html.ts'
import { hrefOf } from '../../router/use-route.ts'
import { memberName } from '../../state/use-members.ts'

type RecentEvent = MetricsOverview['recent_events'][number]

/** The organization's latest timeline events, newest first, each linking to its customer's timeline. */
export function RecentEvents(props: {
  org: string
  events: RecentEvent[]
  members: Member[] | undefined
  now: Date
}) {
  return html`<section class="card recent-events" aria-labelledby="recent-events-title">
    <h2 id="recent-events-title">Latest activity</h2>
    ${
      props.events.length === 0
        ? html`<${Empty}>Nothing has happened yet: events appear here as customers change.</${Empty}>`
        : html`<ol class="activity-list">
            ${props.events.map((e) => html`<${EventItem} key=${e.id} org=${props.org} event=${e} members=${props.members} now=${props.now} />`)}
          </ol>`
    }
  </section>`
}

function EventItem(props: { org: string; event: RecentEvent; members: Member[] | undefined; now: Date }) {
  const { event } = props
  // Events without a person (CRM syncs, the system) name no one rather than "Unassigned".
  const actor = event.actor_id ? memberName(props.members, event.actor_id) : 'System'
  const description = event.customer_id
    ? html`<a href=${hrefOf({ name: 'customer', org: props.org, id: event.customer_id, tab: 'timeline' })}>${event.description}</a>`
    : html`<span>${event.description}</span>`
  return html`<li class="activity">
    <span class=${`activity-type activity-${event.type}`}>${eventTypeLabels[event.type]}</span>
    <div class="activity-body">
      <p class="activity-description">${description}</p>
      <p class="activity-meta">
        ${actor} ·
        <time datetime=${event.occurred_at} title=${formatDateTime(event.occurred_at)}>${formatRelative(event.occurred_at, props.now)}</time>
      </p>
    </div>
  </li>`
}
