import type { CustomerDetail } from '../../api/types.ts'
import { formatCount } from '../../format/numbers.ts'
import { html } from '../../html.ts'
import { type CustomerTab, customerTabs, type Route } from '../../router/routes.ts'
import { hrefOf, navigate } from '../../router/use-route.ts'

type CustomerRoute = Extract<Route, { name: 'customer' }>

export const tabLabels: Record<CustomerTab, string> = {
  contacts: 'Contacts',
  teams: 'Teams',
  processes: 'Processes',
  services: 'Services',
  documents: 'Documents',
  timeline: 'Timeline',
}

const countOf = (counts: CustomerDetail['counts'], tab: CustomerTab) =>
  tab === 'timeline' ? counts.timeline_events : counts[tab]

/** The tab an arrow key (or Home/End) moves to from `current`, wrapping around; undefined for other keys. */
export function tabAfterKey(current: CustomerTab, key: string): CustomerTab | undefined {
  const i = customerTabs.indexOf(current)
  const n = customerTabs.length
  const next: Record<string, number> = { ArrowRight: i + 1, ArrowLeft: i - 1 + n, Home: 0, End: n - 1 }
  const index = next[key]
  return index === undefined ? undefined : customerTabs[index % n]
}

export const tabId = (tab: CustomerTab) => `tab-${tab}`
export const panelId = 'customer-tabpanel'

/**
 * The WAI-ARIA tabs pattern with links: each tab is a URL (deep links, Back),
 * one tab stop for the list, arrow keys move between tabs and show them.
 */
export function CustomerTabs(props: { route: CustomerRoute; counts: CustomerDetail['counts'] }) {
  const { route } = props
  const onKeyDown = (event: KeyboardEvent) => {
    const next = tabAfterKey(route.tab, event.key)
    if (!next) return
    event.preventDefault()
    document.getElementById(tabId(next))?.focus()
    // Replace, so arrowing through the tabs does not fill the history; a click adds an entry.
    navigate({ ...route, tab: next }, { replace: true })
  }
  return html`<div class="tabs" role="tablist" aria-label="Customer records" onKeyDown=${onKeyDown}>
    ${customerTabs.map((tab) => {
      const selected = tab === route.tab
      return html`<a
        key=${tab}
        id=${tabId(tab)}
        role="tab"
        class="tab"
        href=${hrefOf({ ...route, tab })}
        aria-selected=${selected ? 'true' : 'false'}
        aria-controls=${selected ? panelId : undefined}
        tabindex=${selected ? 0 : -1}
      >
        ${tabLabels[tab]} <span class="tab-count">${formatCount(countOf(props.counts, tab))}</span>
      </a>`
    })}
  </div>`
}
