import type { Customer } from '../../api/types.ts'
import { html } from '../../html.ts'
import { type ChildField, fieldErrorsOf } from './child-form.ts'

/** The pre-sale fields of a customer, as the create and edit forms take them. */
export type DealKey = 'deal_value' | 'expected_close_date' | 'next_step'
export type DealValues = Record<DealKey, string>
export type DealBody = Partial<Record<DealKey, string | null>>

const dealKeys: readonly DealKey[] = ['deal_value', 'expected_close_date', 'next_step']

const labels: Record<DealKey, string> = {
  deal_value: 'Deal value',
  expected_close_date: 'Expected close date',
  next_step: 'Next step',
}

/** For fieldErrorsOf: which of the API's `errors[].field` these forms show at a field. */
const asFields: readonly ChildField[] = dealKeys.map((key) => ({ key, label: labels[key], input: 'text' }))

export const emptyDeal: DealValues = { deal_value: '', expected_close_date: '', next_step: '' }

export const dealValuesOf = (c: Pick<Customer, DealKey>): DealValues => ({
  deal_value: c.deal_value ?? '',
  expected_close_date: c.expected_close_date ?? '',
  next_step: c.next_step ?? '',
})

/**
 * What to send: on create, the fields given; on an edit, only what changed, a
 * cleared field as null. The amount goes as typed (trimmed): the API is the
 * one judge of a valid amount, and its message shows at the field.
 */
export function dealBody(values: DealValues, before?: DealValues): DealBody {
  const body: DealBody = {}
  for (const key of dealKeys) {
    const text = values[key].trim()
    if (before && text === before[key].trim()) continue
    if (text === '') {
      if (before) body[key] = null
      continue
    }
    body[key] = text
  }
  return body
}

/** The API's 400 messages by deal field; others (name, phase…) come back under `''`. */
export const dealErrorsOf = (errors: readonly { field: string; message: string }[] | undefined) =>
  fieldErrorsOf(asFields, errors)

/** After a refusal, focus goes to the first field it names, so its message is read out with it. */
export function focusFirstInvalid(form: HTMLFormElement | null) {
  requestAnimationFrame(() => form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus())
}

/**
 * The three inputs with their messages beside them. The amount is a text
 * input in decimal mode, so "1.250,50" reaches the API and its refusal is
 * shown here, rather than a number input quietly dropping what it cannot parse.
 */
export function DealFields(props: {
  idPrefix: string
  values: DealValues
  errors: Record<string, string>
  currency: string | undefined
  onChange: (values: DealValues) => void
}) {
  const field = (key: DealKey, input: (common: Record<string, unknown>) => unknown, hint?: string) => {
    const id = `${props.idPrefix}-${key}`
    const message = props.errors[key]
    const described = [hint && `${id}-hint`, message && `${id}-error`].filter(Boolean).join(' ')
    const common = {
      id,
      name: key,
      value: props.values[key],
      'aria-invalid': message ? 'true' : undefined,
      'aria-describedby': described || undefined,
      onInput: (e: Event) => props.onChange({ ...props.values, [key]: (e.target as HTMLInputElement).value }),
    }
    return html`<div class="field" key=${key}>
      <label for=${id}>${labels[key]} <span class="optional">(optional)</span></label>
      ${input(common)}
      ${hint && html`<small id=${`${id}-hint`} class="hint">${hint}</small>`}
      ${message && html`<small id=${`${id}-error`} class="field-error">${message}</small>`}
    </div>`
  }
  return html`
    ${field(
      'deal_value',
      (common) => html`<input ...${common} type="text" inputmode="decimal" autocomplete="off" />`,
      `A one-off amount${props.currency ? ` in ${props.currency}` : ''}, like 1250.50; services add their monthly value.`,
    )}
    ${field('expected_close_date', (common) => html`<input ...${common} type="date" />`)}
    ${field('next_step', (common) => html`<input ...${common} type="text" maxlength="500" autocomplete="off" />`)}
  `
}
