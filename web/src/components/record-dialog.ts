import { useRef, useState } from 'preact/hooks'
import { isApiError } from '../api/api-error.ts'
import { describeError } from '../api/describe-error.ts'
import { html } from '../html.ts'
import {
  bodyOf,
  type ChildField,
  checkValues,
  type FormValues,
  fieldErrorsOf,
  valuesOf,
} from '../screens/customer/child-form.ts'
import { Dialog } from './dialog.ts'

export interface RecordDialogProps {
  title: string
  submitLabel: string
  fields: readonly ChildField[]
  /** The record being edited (its values fill the form); none for a new one. */
  record?: Record<string, unknown>
  /** "this contact", for messages. */
  what: string
  /** A 409 in this kind's words, shown at the field it is about. */
  conflict?: { field: string; message: string } | undefined
  /** Sends the body; throws the ApiError when refused. */
  onSubmit: (body: Record<string, unknown>) => Promise<void>
  /** After a 412: the record as it is now (the list is updated by the caller), to refill the form. */
  onStale?: () => Promise<Record<string, unknown> | undefined>
  onClose: () => void
}

/**
 * Create or edit one record. A refusal keeps the dialog open with what was
 * typed: field errors beside their fields, anything else above the buttons.
 */
export function RecordDialog(props: RecordDialogProps) {
  const [before, setBefore] = useState(() =>
    props.record ? valuesOf(props.fields, props.record) : undefined,
  )
  const [values, setValues] = useState<FormValues>(() => valuesOf(props.fields, props.record))
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({})
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const formRef = useRef<HTMLFormElement>(null)

  const focusFirstError = (errors: Record<string, string>) => {
    const key = props.fields.find((f) => errors[f.key])?.key
    if (key)
      requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>(`[name="${key}"]`)?.focus())
  }

  const submit = async (event: Event) => {
    event.preventDefault()
    const problems = checkValues(props.fields, values)
    setFieldErrors(problems)
    setError(undefined)
    if (Object.keys(problems).length > 0) return focusFirstError(problems)
    const body = bodyOf(props.fields, values, before)
    if (Object.keys(body).length === 0) return props.onClose()
    setBusy(true)
    try {
      await props.onSubmit(body)
      props.onClose()
    } catch (err) {
      setBusy(false)
      if (!isApiError(err)) return setError(describeError(err, props.what))
      if (err.code === 'validation_failed' && err.problem?.errors?.length) {
        const byField = fieldErrorsOf(props.fields, err.problem.errors)
        setFieldErrors(byField)
        if (byField['']) setError(byField[''])
        return focusFirstError(byField)
      }
      if (err.code === 'conflict' && props.conflict) {
        const byField = { [props.conflict.field]: props.conflict.message }
        setFieldErrors(byField)
        setError(props.conflict.message)
        return focusFirstError(byField)
      }
      if (err.code === 'precondition_failed' && props.onStale) {
        const latest = await props.onStale().catch(() => undefined)
        if (latest) {
          // Their version becomes the starting point; what this person typed is kept where they changed it.
          const theirs = valuesOf(props.fields, latest)
          setBefore(theirs)
          setValues((mine) => {
            const merged = { ...theirs }
            for (const f of props.fields)
              if (mine[f.key] !== before?.[f.key]) merged[f.key] = mine[f.key] ?? ''
            return merged
          })
          return setError(
            `Someone else changed ${props.what} while you were editing, so nothing was saved. ` +
              'The form now starts from their version with your changes on top: check it and save again.',
          )
        }
      }
      setError(describeError(err, props.what))
    }
  }

  return html`<${Dialog} title=${props.title} onClose=${props.onClose}>
    <form ref=${formRef} onSubmit=${submit} noValidate>
      ${props.fields.map((field) => {
        const id = `field-${field.key}`
        const message = fieldErrors[field.key]
        const described = [field.hint && `${id}-hint`, message && `${id}-error`].filter(Boolean).join(' ')
        const common = {
          id,
          name: field.key,
          value: values[field.key] ?? '',
          'aria-invalid': message ? 'true' : undefined,
          'aria-describedby': described || undefined,
          onInput: (e: Event) =>
            setValues((v) => ({ ...v, [field.key]: (e.target as HTMLInputElement).value })),
        }
        return html`<div class="field" key=${field.key}>
          <label for=${id}>${field.label}${field.required ? '' : html` <span class="optional">(optional)</span>`}</label>
          ${
            field.input === 'select'
              ? html`<select ...${common}>
                  ${field.options?.map((o) => html`<option key=${o.value} value=${o.value}>${o.label}</option>`)}
                </select>`
              : html`<input
                  ...${common}
                  type=${field.input}
                  required=${field.required}
                  min=${field.min}
                  max=${field.max}
                  step=${field.step}
                  inputmode=${field.input === 'number' ? 'decimal' : undefined}
                  autocomplete=${field.autocomplete}
                />`
          }
          ${field.hint && html`<small id=${`${id}-hint`} class="hint">${field.hint}</small>`}
          ${message && html`<small id=${`${id}-error`} class="field-error">${message}</small>`}
        </div>`
      })}
      ${error && html`<p class="form-error" role="alert">${error}</p>`}
      <div class="form-actions">
        <button type="button" class="button" onClick=${props.onClose}>Cancel</button>
        <button type="submit" class="button button-primary" disabled=${busy}>
          ${busy ? 'Saving…' : props.submitLabel}
        </button>
      </div>
    </form>
  </${Dialog}>`
}
