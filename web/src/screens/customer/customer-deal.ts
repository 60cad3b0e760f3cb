import { useState } from 'preact/hooks'
import { phaseOutcomes } from '../../../../functions/domain/vocabulary.ts'
import { isApiError } from '../../api/api-error.ts'
import { describeError } from '../../api/describe-error.ts'
import type { CustomerDetail } from '../../api/types.ts'
import { Dialog } from '../../components/dialog.ts'
import { formatDateTime, formatDay, localToday } from '../../format/dates.ts'
import { formatMoney } from '../../format/money.ts'
import { formatCount } from '../../format/numbers.ts'
import { html } from '../../html.ts'
import type { CustomerPatch, OnRefused } from './customer-edit.ts'
import { CustomerOpenTasks } from './customer-tasks.ts'
import {
  DealFields,
  type DealValues,
  dealBody,
  dealErrorsOf,
  dealValuesOf,
  focusFirstInvalid,
} from './deal-fields.ts'

const plainAmount = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2 })

/** An open customer's close date has passed: the header says so in the warning colour. */
export const isOverdue = (c: Pick<CustomerDetail, 'phase' | 'expected_close_date'>, today = localToday()) =>
  phaseOutcomes[c.phase] === 'open' && c.expected_close_date !== null && c.expected_close_date < today

/**
 * What the customer is worth and what happens next, under its name: value
 * (with the deal and recurring split on a small line), expected close date,
 * next step, days in phase, and its open tasks.
 */
export function DealFacts(props: {
  customer: CustomerDetail
  /** undefined while it loads; null when it could not be read (amounts then show without a currency). */
  currency: string | null | undefined
  canWrite: boolean
  onEdit: () => void
  onLogActivity: () => void
}) {
  const { customer: c, currency } = props
  // While an edit is on its way the typed amount is shown as typed: it may not be an amount yet.
  const money = (amount: string) => {
    if (currency === undefined) return '…'
    if (!/^-?\d+(\.\d+)?$/.test(amount)) return amount
    return currency ? formatMoney(amount, currency) : plainAmount.format(amount as Intl.StringNumericLiteral)
  }
  const overdue = isOverdue(c)
  return html`<dl class="customer-facts customer-deal" aria-label="Deal">
    <div>
      <dt>Value</dt>
      <dd>
        <span class="deal-value" title="Deal value + 12 × monthly recurring value">${money(c.value)}</span>
        <small class="deal-split">
          ${c.deal_value === null ? 'no deal' : `deal ${money(c.deal_value)}`} ·
          ${` ${money(c.monthly_recurring_value)}/month recurring`}
        </small>
      </dd>
    </div>
    <div>
      <dt>Expected close</dt>
      <dd class=${overdue ? 'deal-overdue' : undefined}>
        ${
          c.expected_close_date
            ? html`<time datetime=${c.expected_close_date}>${formatDay(c.expected_close_date)}</time>${overdue && html` <span class="deal-overdue-tag">overdue</span>`}`
            : html`<span class="muted">Not set</span>`
        }
      </dd>
    </div>
    <div class="deal-next">
      <dt>Next step</dt>
      <dd>${c.next_step ?? html`<span class="muted">None yet</span>`}</dd>
    </div>
    <div>
      <dt>In phase</dt>
      <dd title=${`Since ${formatDateTime(c.phase_entered_at)}`}>
        ${formatCount(c.days_in_phase)} ${c.days_in_phase === 1 ? 'day' : 'days'}
      </dd>
    </div>
    <${CustomerOpenTasks} org=${c.org_id} customerId=${c.id} canWrite=${props.canWrite} />
    ${
      props.canWrite &&
      html`<div class="deal-edit">
        <button type="button" class="button" onClick=${props.onEdit}>Edit deal</button>
        <button type="button" class="button" onClick=${props.onLogActivity}>Log activity</button>
      </div>`
    }
  </dl>`
}

/** The deal's three fields in a dialog; the API's 400 messages show beside the fields they name. */
export function DealDialog(props: {
  customer: CustomerDetail
  currency: string | undefined
  edit: (patch: CustomerPatch, onRefused?: OnRefused) => Promise<boolean>
  onClose: () => void
}) {
  const [before] = useState(() => dealValuesOf(props.customer))
  const [values, setValues] = useState<DealValues>(before)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [busy, setBusy] = useState(false)

  const submit = async (event: Event) => {
    event.preventDefault()
    const form = event.currentTarget as HTMLFormElement
    const patch = dealBody(values, before)
    if (Object.keys(patch).length === 0) return props.onClose()
    setBusy(true)
    setErrors({})
    const saved = await props.edit(patch as CustomerPatch, (error) => {
      if (isApiError(error) && error.code === 'validation_failed' && error.problem?.errors?.length) {
        setErrors(dealErrorsOf(error.problem.errors))
        focusFirstInvalid(form)
        return true
      }
      setErrors({ '': describeError(error, 'this customer') })
      return true
    })
    setBusy(false)
    if (saved) props.onClose()
  }

  return html`<${Dialog} title="Edit deal" onClose=${props.onClose}>
    <form onSubmit=${submit} noValidate>
      <${DealFields} idPrefix="deal" values=${values} errors=${errors} currency=${props.currency} onChange=${setValues} />
      ${errors[''] && html`<p class="form-error" role="alert">${errors['']}</p>`}
      <div class="form-actions">
        <button type="button" class="button" onClick=${props.onClose}>Cancel</button>
        <button type="submit" class="button button-primary" disabled=${busy}>${busy ? 'Saving…' : 'Save deal'}</button>
      </div>
    </form>
  </${Dialog}>`
}
