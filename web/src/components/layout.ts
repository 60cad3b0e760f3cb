import type { ComponentChildren } from 'preact'
import { useServices, useViewer } from '../context.ts'
import { roleLabels } from '../domain.ts'
import { html } from '../html.ts'
import { NotificationsMenu } from '../notifications/notifications-menu.ts'
import { LiveStatusBadge } from '../realtime/live-context.ts'
import type { Route } from '../router/routes.ts'
import { hrefOf, navigate } from '../router/use-route.ts'
import { ToastRegion } from './toasts.ts'

const sections = [
  {
    name: 'overview',
    label: 'Overview',
    route: (org: string): Route => ({ name: 'overview', org, range: 30 }),
  },
  { name: 'customers', label: 'Customers', route: (org: string): Route => ({ name: 'customers', org }) },
  { name: 'pipeline', label: 'Pipeline', route: (org: string): Route => ({ name: 'pipeline', org }) },
  { name: 'chat', label: 'Chat', route: (org: string): Route => ({ name: 'chat', org }) },
] as const

/** The frame around every signed-in screen: navigation, organization switcher, who is signed in. */
export function Layout(props: { route: Route; children: ComponentChildren }) {
  const { auth } = useServices()
  const { me, org, role } = useViewer()
  const current = props.route.name === 'customer' ? 'customers' : props.route.name
  return html`
    <a class="skip-link" href="#main" onClick=${skipToMain}>Skip to content</a>
    <header class="topbar">
      <div class="brand" aria-hidden="true">◆</div>
      <nav aria-label="Sections">
        <ul class="nav">
          ${sections.map(
            (s) => html`<li key=${s.name}>
              <a href=${hrefOf(s.route(org.org_id))} aria-current=${current === s.name ? 'page' : undefined}>${s.label}</a>
            </li>`,
          )}
        </ul>
      </nav>
      <div class="account">
        ${
          me.memberships.length > 1
            ? html`<label class="org-switch">
                <span class="visually-hidden">Organization</span>
                <select
                  value=${org.org_id}
                  onChange=${(e: Event) => navigate({ name: 'overview', org: (e.target as HTMLSelectElement).value, range: 30 })}
                >
                  ${me.memberships.map((m) => html`<option key=${m.org_id} value=${m.org_id}>${m.org_name}</option>`)}
                </select>
              </label>`
            : html`<span class="org-name">${org.org_name}</span>`
        }
        <${LiveStatusBadge} />
        <${NotificationsMenu} />
        <span class="who" title=${me.email}>${me.display_name} · <span class="role">${roleLabels[role]}</span></span>
        <button type="button" class="button button-quiet" onClick=${() => auth.signOut()}>Sign out</button>
      </div>
    </header>
    <main id="main" tabindex="-1">${props.children}</main>
    <${ToastRegion} />
  `
}

/** The skip link moves focus without changing the route (a plain #main would be read as a route). */
function skipToMain(event: Event) {
  event.preventDefault()
  document.getElementById('main')?.focus()
}
