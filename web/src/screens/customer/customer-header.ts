import { useEffect, useRef, useState } from 'preact/hooks'
import { customerPhases } from '../../../../functions/domain/vocabulary.ts'
import type { CustomerDetail, Member, Phase } from '../../api/types.ts'
import { ConfirmDialog } from '../../components/confirm-dialog.ts'
import { PhaseBadge } from '../../components/phase-badge.ts'
import { useServices } from '../../context.ts'
import { phaseLabels } from '../../domain.ts'
import { formatDateTime, formatRelative } from '../../format/dates.ts'
import { html } from '../../html.ts'
import { hrefOf, navigate } from '../../router/use-route.ts'
import { useCurrency } from '../../state/use-currency.ts'
import { memberName } from '../../state/use-members.ts'
import { DealDialog, DealFacts } from './customer-deal.ts'
import type { CustomerPatch, OnRefused } from './customer-edit.ts'
import { LogActivityDialog } from './log-activity.ts'

export interface CustomerHeaderProps {
  customer: CustomerDetail
  members: readonly Member[] | undefined
  canWrite: boolean
  canReassign: boolean
  edit: (patch: CustomerPatch, onRefused?: OnRefused) => Promise<boolean>
}

/**
 * Name, phase and owner of the customer, then its deal (value, close date,
 * next step); writers change them in place or in the deal dialog, and may delete the customer.
 */
export function CustomerHeader(props: CustomerHeaderProps) {
  const { api, toasts } = useServices()
  const { customer, canWrite } = props
  const [renaming, setRenaming] = useState(false)
  const [deleting, setDeleting] = useState(false)
  const [editingDeal, setEditingDeal] = useState(false)
  const [logging, setLogging] = useState(false)
  const currencyState = useCurrency(customer.org_id)
  const currency = currencyState.data ?? (currencyState.status === 'error' ? null : undefined)

  const remove = async () => {
    await api.delete(`/customers/${customer.id}`, { ifMatch: customer.version })
    toasts.show('success', `“${customer.name}” was deleted.`)
    navigate({ name: 'customers', org: customer.org_id })
  }

  return html`<header class="customer-head">
    <p class="breadcrumb"><a href=${hrefOf({ name: 'customers', org: customer.org_id })}>Customers</a></p>
    <div class="customer-title">
      ${
        renaming
          ? html`<${RenameForm}
              name=${customer.name}
              onDone=${(name: string | undefined) => {
                setRenaming(false)
                if (name !== undefined && name !== customer.name) void props.edit({ name })
              }}
            />`
          : html`<h1>${customer.name}</h1>
              ${canWrite && html`<button type="button" class="button button-quiet" onClick=${() => setRenaming(true)}>Rename</button>`}`
      }
    </div>
    ${
      canWrite &&
      html`<button type="button" class="button button-danger customer-delete" onClick=${() => setDeleting(true)}>
        Delete customer
      </button>`
    }
    <dl class="customer-facts">
      <div>
        <dt>Phase</dt>
        <dd>
          ${
            canWrite
              ? html`<select
                  class="inline-select"
                  aria-label="Phase"
                  value=${customer.phase}
                  onChange=${(e: Event) => props.edit({ phase: (e.target as HTMLSelectElement).value as Phase })}
                >
                  ${customerPhases.map((p) => html`<option key=${p} value=${p}>${phaseLabels[p]}</option>`)}
                </select>`
              : html`<${PhaseBadge} phase=${customer.phase} />`
          }
        </dd>
      </div>
      <div>
        <dt>Owner</dt>
        <dd>
          ${
            props.canReassign && props.members
              ? html`<${OwnerSelect} customer=${customer} members=${props.members} edit=${props.edit} />`
              : memberName(props.members, customer.owner_id)
          }
        </dd>
      </div>
      <div>
        <dt>Updated</dt>
        <dd><time datetime=${customer.updated_at} title=${formatDateTime(customer.updated_at)}>${formatRelative(customer.updated_at)}</time></dd>
      </div>
    </dl>
    <${DealFacts}
      customer=${customer}
      currency=${currency}
      canWrite=${canWrite}
      onEdit=${() => setEditingDeal(true)}
      onLogActivity=${() => setLogging(true)}
    />
    ${logging && html`<${LogActivityDialog} customerId=${customer.id} onClose=${() => setLogging(false)} />`}
    ${
      editingDeal &&
      html`<${DealDialog}
        customer=${customer}
        currency=${currency ?? undefined}
        edit=${props.edit}
        onClose=${() => setEditingDeal(false)}
      />`
    }
    ${
      deleting &&
      html`<${ConfirmDialog}
        title="Delete customer?"
        message=${`“${customer.name}” and all its contacts, teams, processes, services and documents will be deleted. Its timeline is kept. This cannot be undone.`}
        confirmLabel="Delete customer"
        what="this customer"
        onConfirm=${remove}
        onClose=${() => setDeleting(false)}
      />`
    }
  </header>`
}

function RenameForm(props: { name: string; onDone: (name: string | undefined) => void }) {
  const [value, setValue] = useState(props.name)
  const [error, setError] = useState<string>()
  const input = useRef<HTMLInputElement>(null)
  useEffect(() => {
    input.current?.focus()
    input.current?.select()
  }, [])
  const submit = (event: Event) => {
    event.preventDefault()
    const name = value.trim()
    if (!name) return setError('Enter a name.')
    if (name.length > 200) return setError('Use at most 200 characters.')
    props.onDone(name)
  }
  return html`<form
    class="rename-form"
    onSubmit=${submit}
    onKeyDown=${(e: KeyboardEvent) => e.key === 'Escape' && props.onDone(undefined)}
  >
    <label for="customer-name" class="visually-hidden">Customer name</label>
    <input
      id="customer-name"
      value=${value}
      ref=${input}
      maxLength="200"
      aria-invalid=${error ? 'true' : undefined}
      aria-describedby=${error ? 'customer-name-error' : undefined}
      onInput=${(e: Event) => setValue((e.target as HTMLInputElement).value)}
    />
    <button type="submit" class="button button-primary">Save name</button>
    <button type="button" class="button" onClick=${() => props.onDone(undefined)}>Cancel</button>
    ${error && html`<p id="customer-name-error" class="form-error" role="alert">${error}</p>`}
  </form>`
}

function OwnerSelect(props: {
  customer: CustomerDetail
  members: readonly Member[]
  edit: (patch: CustomerPatch) => Promise<boolean>
}) {
  // Viewers cannot own customers; the current owner stays listed whatever their role.
  const owners = props.members.filter((m) => m.role !== 'viewer' || m.user_id === props.customer.owner_id)
  return html`<select
    class="inline-select"
    aria-label="Owner"
    value=${props.customer.owner_id ?? ''}
    onChange=${(e: Event) => {
      const value = (e.target as HTMLSelectElement).value
      void props.edit({ owner_id: value || null })
    }}
  >
    <option value="">Unassigned</option>
    ${owners.map((m) => html`<option key=${m.user_id} value=${m.user_id}>${m.display_name}</option>`)}
  </select>`
}
