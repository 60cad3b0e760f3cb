import { useLayoutEffect, useRef, useState } from 'preact/hooks'
import type { NotificationItem } from '../api/types.ts'
import { useViewer } from '../context.ts'
import { formatDateTime, formatRelative } from '../format/dates.ts'
import { formatCount } from '../format/numbers.ts'
import { html } from '../html.ts'
import { hrefOf } from '../router/use-route.ts'
import { useNotifications } from './use-notifications.ts'

/**
 * The bell in the top bar: how many notifications are unread, and on a click
 * the latest ones, each leading to its customer (marking it read), each
 * markable read or unread, and all of them read at once. Escape or a click
 * elsewhere closes it, giving focus back to the bell.
 */
export function NotificationsMenu() {
  const { org, userId } = useViewer()
  const n = useNotifications(org.org_id, userId)
  const [open, setOpen] = useState(false)
  const root = useRef<HTMLDivElement>(null)
  const bell = useRef<HTMLButtonElement>(null)

  // Layout effect: listening from the moment the panel shows, so an Escape pressed at once closes it.
  useLayoutEffect(() => {
    if (!open) return
    const close = (focusBell: boolean) => {
      setOpen(false)
      if (focusBell) bell.current?.focus()
    }
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && close(true)
    const onPointer = (e: PointerEvent) => root.current?.contains(e.target as Node) || close(false)
    document.addEventListener('keydown', onKey)
    document.addEventListener('pointerdown', onPointer)
    return () => {
      document.removeEventListener('keydown', onKey)
      document.removeEventListener('pointerdown', onPointer)
    }
  }, [open])

  const label = n.unread > 0 ? `Notifications, ${formatCount(n.unread)} unread` : 'Notifications'
  return html`<div class="notifications" ref=${root}>
    <button
      ref=${bell}
      type="button"
      class="bell"
      aria-label=${label}
      aria-expanded=${open ? 'true' : 'false'}
      aria-controls="notifications-panel"
      onClick=${() => setOpen((o) => !o)}
    >
      <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
        <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" /><path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
      </svg>
      ${n.unread > 0 && html`<span class="bell-count" aria-hidden="true">${n.unread > 99 ? '99+' : n.unread}</span>`}
    </button>
    ${
      open &&
      html`<section id="notifications-panel" class="notifications-panel" aria-labelledby="notifications-title">
        <header class="notifications-head">
          <h2 id="notifications-title">Notifications</h2>
          ${n.unread > 0 && html`<button type="button" class="link-button" onClick=${n.markAllRead}>Mark all read</button>`}
        </header>
        ${
          n.list.status === 'error' && !n.list.data
            ? html`<p class="notifications-empty" role="alert">
                Your notifications could not be loaded. <button type="button" class="link-button" onClick=${n.list.reload}>Try again</button>
              </p>`
            : !n.list.data
              ? html`<p class="notifications-empty">Loading…</p>`
              : n.items.length === 0
                ? html`<p class="notifications-empty">Nothing yet. When one of your tasks is overdue, it shows here.</p>`
                : html`<ul class="notifications-list" aria-label="Your notifications">
                    ${n.items.map(
                      (item) =>
                        html`<${NotificationLine}
                          key=${item.id}
                          item=${item}
                          org=${org.org_id}
                          onOpen=${() => {
                            setOpen(false)
                            if (!item.read_at) void n.setRead(item, true)
                          }}
                          onToggle=${() => n.setRead(item, !item.read_at)}
                        />`,
                    )}
                  </ul>`
        }
        ${n.more && html`<p class="notifications-more">Showing the latest ${n.items.length}.</p>`}
      </section>`
    }
  </div>`
}

function NotificationLine(props: {
  item: NotificationItem
  org: string
  onOpen: () => void
  onToggle: () => void
}) {
  const { item } = props
  const unread = item.read_at === null
  const href = item.customer_id
    ? hrefOf({ name: 'customer', org: props.org, id: item.customer_id, tab: 'timeline' })
    : hrefOf({ name: 'overview', org: props.org, range: 30 })
  return html`<li class=${`notification${unread ? ' notification-unread' : ''}`}>
    <a class="notification-link" href=${href} onClick=${props.onOpen}>
      <span class="notification-title">${unread && html`<span class="visually-hidden">Unread: </span>`}${item.title}</span>
      <span class="notification-meta">
        ${item.customer_name && html`<span>${item.customer_name}</span>`}
        <time datetime=${item.created_at} title=${formatDateTime(item.created_at)}>${formatRelative(item.created_at)}</time>
      </span>
    </a>
    <button
      type="button"
      class="notification-toggle"
      aria-label=${unread ? `Mark “${item.title}” read` : `Mark “${item.title}” unread`}
      title=${unread ? 'Mark read' : 'Mark unread'}
      onClick=${props.onToggle}
    >
      <span aria-hidden="true" class=${unread ? 'dot dot-unread' : 'dot'}></span>
    </button>
  </li>`
}
