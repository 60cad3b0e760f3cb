/**
 * The form behind every customer record dialog (contacts, teams, processes,
 * services, documents): a small description of each field turns form text
 * into the API's body, and the API's 400 `errors[]` back into messages next
 * to the fields. Plain functions, so they are tested without a browser.
 */
export interface ChildField {
  key: string
  label: string
  input: 'text' | 'email' | 'tel' | 'number' | 'select'
  required?: boolean
  /** Sent as null when cleared on an edit (the column is nullable). */
  nullable?: boolean
  options?: readonly { value: string; label: string }[]
  /** For number inputs. */
  min?: number
  max?: number
  step?: number
  hint?: string
  autocomplete?: string
  /** A new record's value when the person chooses none. */
  defaultValue?: string
}

export type FormValues = Record<string, string>

/** A record's current values as form text. */
export function valuesOf(fields: readonly ChildField[], record?: Record<string, unknown>): FormValues {
  const values: FormValues = {}
  for (const field of fields) {
    const value = record?.[field.key]
    values[field.key] = value === null || value === undefined ? (field.defaultValue ?? '') : String(value)
  }
  return values
}

const parse = (field: ChildField, text: string): unknown => {
  const trimmed = text.trim()
  if (trimmed === '') return field.nullable ? null : undefined
  return field.input === 'number' ? Number(trimmed) : trimmed
}

/**
 * The body to send: on create, every field with a value; on an edit, only
 * what changed (a cleared nullable field becomes null). An empty edit is {}.
 */
export function bodyOf(fields: readonly ChildField[], values: FormValues, before?: FormValues) {
  const body: Record<string, unknown> = {}
  for (const field of fields) {
    const text = values[field.key] ?? ''
    if (before && text.trim() === (before[field.key] ?? '').trim()) continue
    const value = parse(field, text)
    if (value === undefined || (!before && value === null)) continue
    body[field.key] = value
  }
  return body
}

/** Checks the browser cannot do for us with `required`/`min`/`max`: in words, per field. */
export function checkValues(fields: readonly ChildField[], values: FormValues): Record<string, string> {
  const problems: Record<string, string> = {}
  for (const field of fields) {
    const text = (values[field.key] ?? '').trim()
    if (field.required && text === '') problems[field.key] = `Enter a ${field.label.toLowerCase()}.`
    if (field.input === 'number' && text !== '') {
      const n = Number(text)
      if (!Number.isFinite(n)) problems[field.key] = 'Enter a number.'
      else if (field.min !== undefined && n < field.min) problems[field.key] = `Enter at least ${field.min}.`
      else if (field.max !== undefined && n > field.max) problems[field.key] = `Enter at most ${field.max}.`
    }
  }
  return problems
}

/**
 * The API's per-field 400 messages (`body.email`) by form field; messages for
 * fields the form does not show come back under `''`.
 */
export function fieldErrorsOf(
  fields: readonly ChildField[],
  errors: readonly { field: string; message: string }[] | undefined,
): Record<string, string> {
  const known = new Set(fields.map((f) => f.key))
  const byField: Record<string, string> = {}
  for (const error of errors ?? []) {
    const key = error.field.replace(/^body\./, '')
    const target = known.has(key) ? key : ''
    const message = plainMessage(error.message)
    byField[target] = byField[target] ? `${byField[target]} ${message}` : message
  }
  return byField
}

/** zod's wording made readable: "Invalid email address" → "Enter a valid email address." */
function plainMessage(message: string): string {
  if (/invalid email/i.test(message)) return 'Enter a valid email address.'
  const tooSmall = /expected string to have >=1 characters/.exec(message)
  if (tooSmall) return 'This cannot be empty.'
  const tooLong = /expected string to have <=(\d+) characters/.exec(message)
  if (tooLong) return `Use at most ${tooLong[1]} characters.`
  const sentence = message.charAt(0).toUpperCase() + message.slice(1)
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`
}
