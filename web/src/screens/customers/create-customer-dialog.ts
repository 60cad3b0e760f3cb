import { useRef, useState } from 'preact/hooks'
import { customerPhases } from '../../../../functions/domain/vocabulary.ts'
import { isApiError } from '../../api/api-error.ts'
import { newIdempotencyKey } from '../../api/client.ts'
import { describeError } from '../../api/describe-error.ts'
import type { Customer, CustomerCreate, Member, Phase } from '../../api/types.ts'
import { canReassignCustomer } from '../../auth/permissions.ts'
import { Dialog } from '../../components/dialog.ts'
import { useServices, useViewer } from '../../context.ts'
import { phaseLabels } from '../../domain.ts'
import { html } from '../../html.ts'
import { useCurrency } from '../../state/use-currency.ts'
import {
  DealFields,
  type DealValues,
  dealBody,
  dealErrorsOf,
  emptyDeal,
  focusFirstInvalid,
} from '../customer/deal-fields.ts'

const unassigned = 'unassigned'

/**
 * A new customer. Reps create for themselves (no owner field: the server
 * defaults to the caller); managers and up may pick anyone or nobody. The
 * deal (value, expected close date, next step) is optional. A refusal is
 * shown here in plain words, a field's beside it, and the fields stay as typed.
 */
export function CreateCustomerDialog(props: {
  org: string
  members: readonly Member[] | undefined
  onClose: () => void
  onCreated: (customer: Customer) => void
}) {
  const { api } = useServices()
  const { role, userId } = useViewer()
  const [name, setName] = useState('')
  const [phase, setPhase] = useState<Phase>('lead')
  const [owner, setOwner] = useState(userId)
  const [deal, setDeal] = useState<DealValues>(emptyDeal)
  const [error, setError] = useState<string>()
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({})
  const currency = useCurrency(props.org).data
  const [busy, setBusy] = useState(false)
  // One key per distinct request: a retry of the same form is replayed, never duplicated;
  // a corrected form is a new request (the same key with another body would be refused).
  const attempt = useRef<{ body: string; key: string }>()
  const mayReassign = canReassignCustomer(role)

  const submit = async (event: Event) => {
    event.preventDefault()
    const form = event.currentTarget as HTMLFormElement
    const body: CustomerCreate = { name: name.trim(), phase, ...dealBody(deal) }
    if (mayReassign) body.owner_id = owner === unassigned ? null : owner
    if (!body.name) {
      setError(undefined)
      setFieldErrors({ name: 'Give the customer a name.' })
      focusFirstInvalid(form)
      return
    }
    const text = JSON.stringify(body)
    if (attempt.current?.body !== text) attempt.current = { body: text, key: newIdempotencyKey() }
    setBusy(true)
    setError(undefined)
    setFieldErrors({})
    try {
      const created = await api.post<Customer>(`/orgs/${props.org}/customers`, {
        body,
        idempotencyKey: attempt.current.key,
      })
      props.onCreated(created)
    } catch (err) {
      if (isApiError(err) && err.code === 'validation_failed' && err.problem?.errors?.length) {
        const { '': others, ...byField } = dealErrorsOf(err.problem.errors)
        // The name is the one other field a person types here.
        const name = err.problem.errors.find((e) => e.field === 'body.name')
        setFieldErrors(name ? { ...byField, name: 'Use 1 to 200 characters.' } : byField)
        setError(name ? undefined : others)
        focusFirstInvalid(form)
      } else setError(describeError(err, 'this customer'))
      setBusy(false)
    }
  }

  const others = [...(props.members ?? [])]
    .filter((m) => m.role !== 'viewer')
    .sort((a, b) => a.display_name.localeCompare(b.display_name))

  return html`<${Dialog} title="New customer" onClose=${props.onClose}>
    <form onSubmit=${submit} noValidate>
      ${error && html`<p class="form-error" role="alert">${error}</p>`}
      <label class="field">
        <span>Name</span>
        <input
          id="new-customer-name"
          value=${name}
          aria-invalid=${fieldErrors.name ? 'true' : undefined}
          aria-describedby=${fieldErrors.name ? 'new-customer-name-error' : undefined}
          onInput=${(e: Event) => setName((e.target as HTMLInputElement).value)}
          required
          maxlength="200"
          autocomplete="off"
          autofocus
        />
        ${fieldErrors.name && html`<small id="new-customer-name-error" class="field-error">${fieldErrors.name}</small>`}
      </label>
      <label class="field">
        <span>Phase</span>
        <select value=${phase} onChange=${(e: Event) => setPhase((e.target as HTMLSelectElement).value as Phase)}>
          ${customerPhases.map((p) => html`<option key=${p} value=${p}>${phaseLabels[p]}</option>`)}
        </select>
      </label>
      ${
        mayReassign &&
        html`<label class="field">
          <span>Owner</span>
          <select value=${owner} onChange=${(e: Event) => setOwner((e.target as HTMLSelectElement).value)}>
            ${others.map(
              (m) =>
                html`<option key=${m.user_id} value=${m.user_id}>${m.display_name}${m.user_id === userId ? ' (me)' : ''}</option>`,
            )}
            ${!others.some((m) => m.user_id === userId) && html`<option value=${userId}>Me</option>`}
            <option value=${unassigned}>Unassigned</option>
          </select>
        </label>`
      }
      <${DealFields} idPrefix="new-customer" values=${deal} errors=${fieldErrors} currency=${currency} onChange=${setDeal} />
      <div class="form-actions">
        <button type="button" class="button" onClick=${props.onClose}>Cancel</button>
        <button type="submit" class="button button-primary" disabled=${busy}>
          ${busy ? 'Creating…' : 'Create customer'}
        </button>
      </div>
    </form>
  </${Dialog}>`
}
