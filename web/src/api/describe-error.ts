import { type ApiError, isApiError } from './api-error.ts'

/**
 * A failed request in plain words, for the person who tried it. `what` names
 * the thing ("this customer"); the sentence says what happened and what to do.
 * Codes are the API's stable ones (docs/api.md), never its wording.
 */
export function describeError(error: unknown, what = 'this'): string {
  if (!isApiError(error)) return 'Something went wrong in the dashboard. Reload the page and try again.'
  const sentence = sentenceFor(error, what)
  // A server-side failure is worth reporting: its request id finds it in the API's log.
  return error.status >= 500 && error.requestId ? `${sentence} (reference ${error.requestId})` : sentence
}

function sentenceFor(error: ApiError, what: string): string {
  switch (error.code) {
    case 'network':
      return 'The server could not be reached. Check your connection; nothing was changed.'
    case 'precondition_failed':
      return `Someone else changed ${what} in the meantime, so your change was not saved. The latest version is shown.`
    case 'forbidden':
      return `Your role does not allow you to change ${what}.`
    case 'not_found':
      return `${capitalize(what)} no longer exists, or you cannot see it.`
    case 'unauthorized':
      return 'Your session has ended. Sign in again.'
    case 'conflict':
      return `${capitalize(what)} clashes with an existing record${error.problem?.detail ? `: ${error.problem.detail}` : '.'}`
    case 'validation_failed': {
      const fields = error.problem?.errors ?? []
      if (fields.length === 0) return 'Some values are not valid.'
      return fields.map((f) => `${fieldLabel(f.field)}: ${f.message}`).join('; ')
    }
    case 'unavailable':
      return 'The server is busy. Try again in a moment; nothing was changed.'
    case 'payload_too_large':
    case 'document_too_large':
      return error.problem?.detail ?? 'That is too large.'
    case 'document_type_not_allowed':
      return error.problem?.detail ?? 'That kind of file is not allowed.'
    default:
      if (error.status >= 500) return 'The server had a problem; nothing was changed. Try again later.'
      return error.problem?.detail ?? error.problem?.title ?? error.message
  }
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

/** `body.finance_code` → `finance code`. */
const fieldLabel = (field: string) => field.replace(/^(body|query|param|header)\./, '').replaceAll('_', ' ')
