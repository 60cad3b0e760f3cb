import { isApiError } from '../../api/api-error.ts'
import type { CustomerDetail as Detail } from '../../api/types.ts'
import { canReassignCustomer, canWriteCustomer } from '../../auth/permissions.ts'
import { ErrorState, Loading } from '../../components/states.ts'
import { useServices, useViewer } from '../../context.ts'
import { html } from '../../html.ts'
import { useResyncs } from '../../realtime/live-context.ts'
import type { CustomerTab, Route } from '../../router/routes.ts'
import { hrefOf } from '../../router/use-route.ts'
import { useAsync } from '../../state/use-async.ts'
import { useMembers } from '../../state/use-members.ts'
import { contactKind, processKind, serviceKind, teamKind } from './child-kinds.ts'
import { ChildTab, type TabProps } from './child-tab.ts'
import { useCustomerEdit } from './customer-edit.ts'
import { CustomerHeader } from './customer-header.ts'
import { CustomerTabs, panelId, tabId, tabLabels } from './customer-tabs.ts'
import { DocumentsTab } from './documents-tab.ts'
import { TimelineTab } from './timeline-tab.ts'

import { useLiveCustomer } from './use-live-customer.ts'

type CustomerRoute = Extract<Route, { name: 'customer' }>

const countKey = (tab: CustomerTab): keyof Detail['counts'] => (tab === 'timeline' ? 'timeline_events' : tab)

/**
 * One customer: its header (name, phase, owner) and a tab per kind of record.
 * The customer (with its counts) is held here; tabs report creates and
 * deletes so the counts follow, and live changes merge in (use-live-customer.ts).
 */
export function CustomerDetail({ route }: { route: CustomerRoute }) {
  const { api } = useServices()
  const { role, userId, org } = useViewer()
  const members = useMembers(org.org_id)
  const resyncs = useResyncs()
  const customer = useAsync(
    (signal) => api.get<Detail>(`/customers/${route.id}`, { signal }),
    [route.id, resyncs],
  )
  const edit = useCustomerEdit(customer.data, customer.setData, customer.reload)
  useLiveCustomer(route.id, customer)

  // Deleted meanwhile (here or elsewhere) or no longer visible: say so, whatever was shown before.
  if (customer.status === 'error' && isApiError(customer.error) && customer.error.code === 'not_found')
    return html`<${CustomerGone} org=${route.org} />`
  if (!customer.data) {
    if (customer.status === 'error') {
      return html`<section class="screen"><${ErrorState} error=${customer.error} retry=${customer.reload} what="this customer" /></section>`
    }
    return html`<${Loading} label="Loading the customer…" />`
  }

  const data = customer.data
  const canWrite = canWriteCustomer(role, userId, data)
  const tabProps: TabProps = {
    customerId: data.id,
    customerName: data.name,
    canWrite,
    onCountChange: (delta: number) =>
      customer.setData((c) => {
        const key = countKey(route.tab)
        return { ...c, counts: { ...c.counts, [key]: Math.max(0, c.counts[key] + delta) } }
      }),
  }

  return html`<section class="screen customer-detail">
    <${CustomerHeader}
      customer=${data}
      members=${members.data}
      canWrite=${canWrite}
      canReassign=${canWrite && canReassignCustomer(role)}
      edit=${edit}
    />
    ${customer.status === 'error' && html`<${ErrorState} error=${customer.error} retry=${customer.reload} what="this customer" />`}
    <${CustomerTabs} route=${route} counts=${data.counts} />
    <div class="tabpanel" role="tabpanel" id=${panelId} aria-labelledby=${tabId(route.tab)} tabindex="0">
      <h2 class="visually-hidden">${tabLabels[route.tab]}</h2>
      ${panelFor(route.tab, tabProps)}
    </div>
  </section>`
}

function panelFor(tab: CustomerTab, props: TabProps) {
  // Keyed by tab, so each tab starts fresh and loads its own list.
  switch (tab) {
    case 'contacts':
      return html`<${ChildTab} key="contacts" ...${props} kind=${contactKind} />`
    case 'teams':
      return html`<${ChildTab} key="teams" ...${props} kind=${teamKind} />`
    case 'processes':
      return html`<${ChildTab} key="processes" ...${props} kind=${processKind} />`
    case 'services':
      return html`<${ChildTab} key="services" ...${props} kind=${serviceKind} />`
    case 'documents':
      return html`<${DocumentsTab} key="documents" ...${props} />`
    case 'timeline':
      return html`<${TimelineTab} key="timeline" ...${props} />`
  }
}

function CustomerGone({ org }: { org: string }) {
  return html`<section class="screen state state-empty" role="alert">
    <h1>Customer not found</h1>
    <p>This customer does not exist any more, or you are not allowed to see it.</p>
    <p><a href=${hrefOf({ name: 'customers', org })}>Back to the customers</a></p>
  </section>`
}
