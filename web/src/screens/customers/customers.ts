import { useCallback, useRef, useState } from 'preact/hooks'
import { describeError } from '../../api/describe-error.ts'
import type { Customer, Phase } from '../../api/types.ts'
import { canCreateCustomer } from '../../auth/permissions.ts'
import { DownloadButton } from '../../components/download-button.ts'
import { Empty, ErrorState, Loading } from '../../components/states.ts'
import { useServices, useViewer } from '../../context.ts'
import { phaseLabels } from '../../domain.ts'
import { formatCount } from '../../format/numbers.ts'
import { html } from '../../html.ts'
import { useLiveChanges, useResyncs } from '../../realtime/live-context.ts'
import type { CustomerFilters, Route } from '../../router/routes.ts'
import { navigate } from '../../router/use-route.ts'
import { applyPatch, mergeNewer, rollbackPatch } from '../../state/optimistic.ts'
import { useMembers } from '../../state/use-members.ts'
import { useAnnouncer } from './announcer.ts'
import { CreateCustomerDialog } from './create-customer-dialog.ts'
import { filtersOf, hasFilters } from './customer-query.ts'
import { prependUnique } from './customer-rows.ts'
import { CustomersTable } from './customers-table.ts'
import { applyLiveChange, isCustomerChange } from './live-customer.ts'
import { OwnerFilter } from './owner-filter.ts'
import { savePhase } from './phase-change.ts'
import { PhaseFilter } from './phase-filter.ts'
import { SearchBox } from './search-box.ts'
import { nextSort } from './sort.ts'
import { useCustomerList } from './use-customer-list.ts'

type CustomersRoute = Extract<Route, { name: 'customers' }>

/** The customers table: search, filters and sort in the URL, pages of 50, create, inline phase changes. */
export function Customers({ route }: { route: CustomersRoute }) {
  const { api, toasts } = useServices()
  const { role, userId } = useViewer()
  const members = useMembers(route.org)
  const filters = filtersOf(route)
  const list = useCustomerList(route.org, filters, useResyncs())
  // Someone else's change to a loaded row shows at once; new customers wait for a reload (rows do not jump).
  useLiveChanges((change) => {
    if (isCustomerChange(change)) list.setRows((rows) => applyLiveChange(rows, change))
  })
  const [creating, setCreating] = useState(false)
  const [saving, setSaving] = useState<ReadonlySet<string>>(new Set())
  const { announce, region } = useAnnouncer()

  // Typing replaces the URL (Back should not replay every letter); choosing a filter or sort adds a step.
  const routeRef = useRef(route)
  routeRef.current = route
  const show = useCallback((change: CustomerFilters, replace = false) => {
    navigate({ ...routeRef.current, ...change }, { replace })
  }, [])
  const clearFilters = () => navigate({ name: 'customers', org: route.org, sort: route.sort })

  const onPhase = useCallback(async (customer: Customer, phase: Phase) => {
    if (phase === customer.phase) return
    const patch = { phase }
    list.setRows((rows) => applyPatch(rows, customer.id, patch).items)
    setSaving((s) => new Set(s).add(customer.id))
    const result = await savePhase(api, customer, phase)
    setSaving((s) => {
      const next = new Set(s)
      next.delete(customer.id)
      return next
    })
    if (result.ok) {
      list.setRows((rows) => mergeNewer(rows, result.customer))
      announce(`${customer.name} is now in ${phaseLabels[phase]}.`)
      return
    }
    list.setRows((rows) => {
      const undone = rollbackPatch(rows, customer, patch)
      return result.latest ? mergeNewer(undone, result.latest) : undone
    })
    toasts.show('error', describeError(result.error, 'this customer'))
  }, [])

  const onCreated = (customer: Customer) => {
    setCreating(false)
    list.setRows((rows) => prependUnique(rows, customer))
    toasts.show('success', `${customer.name} was created.`)
  }

  const firstLoad = list.status === 'loading' && list.rows.length === 0
  return html`<section class="screen customers">
    <div class="screen-head">
      <h1>Customers</h1>
      <div class="screen-actions">
        <${DownloadButton}
          path=${`/orgs/${route.org}/exports/customers.csv`}
          fallbackName="customers.csv"
          label="Export CSV"
        />
        ${
          canCreateCustomer(role) &&
          html`<button type="button" class="button button-primary" onClick=${() => setCreating(true)}>New customer</button>`
        }
      </div>
    </div>
    <div class="customers-toolbar" role="search" aria-label="Filter customers">
      <${SearchBox} value=${route.q} onSearch=${(q: string | undefined) => show({ q }, true)} />
      <${PhaseFilter} value=${route.phase} onChange=${(phase: Phase[] | undefined) => show({ phase })} />
      <${OwnerFilter}
        members=${members.data}
        value=${route.owner}
        userId=${userId}
        onChange=${(owner: string | undefined) => show({ owner })}
      />
      ${hasFilters(filters) && html`<button type="button" class="button button-quiet clear-filters" onClick=${clearFilters}>Clear filters</button>`}
    </div>
    ${
      list.status === 'error'
        ? html`<${ErrorState} error=${list.error} retry=${list.reload} what="the customers" />`
        : firstLoad
          ? html`<${Loading} label="Loading customers…" />`
          : list.rows.length === 0 && list.status === 'ready'
            ? html`<${Empty}>
                ${
                  hasFilters(filters)
                    ? html`<p>No customers match these filters.</p>
                        <button type="button" class="button" onClick=${clearFilters}>Clear filters</button>`
                    : html`<p>No customers yet.${canCreateCustomer(role) ? ' Create the first one with “New customer”.' : ''}</p>`
                }
              </${Empty}>`
            : html`<${CustomersTable}
                org=${route.org}
                rows=${list.rows}
                members=${members.data}
                role=${role}
                userId=${userId}
                sort=${route.sort}
                busy=${list.status === 'loading'}
                saving=${saving}
                onSort=${(column: Parameters<typeof nextSort>[1]) => show({ sort: nextSort(route.sort, column) })}
                onPhase=${onPhase}
              />
              <${ListFooter} list=${list} />`
    }
    ${region}
    ${
      creating &&
      html`<${CreateCustomerDialog}
        org=${route.org}
        members=${members.data}
        onClose=${() => setCreating(false)}
        onCreated=${onCreated}
      />`
    }
  </section>`
}

/** How many are shown, and the next page on request. */
function ListFooter({ list }: { list: ReturnType<typeof useCustomerList> }) {
  const count = formatCount(list.rows.length)
  return html`<div class="customers-footer">
    <p id="customers-count" class="customers-count" role="status">
      ${list.status === 'loading' ? 'Updating…' : list.cursor ? `Showing ${count}; more to load` : `Showing all ${count}`}
    </p>
    ${
      list.more === 'error' &&
      html`<p class="form-error" role="alert">The next page could not be loaded. ${describeError(list.moreError)}</p>`
    }
    ${
      list.cursor &&
      list.status === 'ready' &&
      // The name stays "Load more" while loading (busy, disabled) so the control does not vanish under the pointer.
      html`<button
        type="button"
        class="button"
        onClick=${list.loadMore}
        disabled=${list.more === 'loading'}
        aria-busy=${list.more === 'loading' ? 'true' : 'false'}
      >
        ${list.more === 'loading' && html`<span class="spinner" aria-hidden="true"></span>`}Load more
      </button>`
    }
  </div>`
}
