import { useState } from 'preact/hooks'
import { describeError } from '../api/describe-error.ts'
import { html } from '../html.ts'
import { Dialog } from './dialog.ts'

/**
 * "Delete this?" with the consequence spelled out. It stays open while the
 * request runs and shows a refusal in place, so nothing fails silently.
 */
export function ConfirmDialog(props: {
  title: string
  message: string
  confirmLabel: string
  what: string
  onConfirm: () => Promise<void>
  onClose: () => void
}) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string>()
  const confirm = async () => {
    setBusy(true)
    setError(undefined)
    try {
      await props.onConfirm()
      props.onClose()
    } catch (err) {
      setError(describeError(err, props.what))
      setBusy(false)
    }
  }
  return html`<${Dialog} title=${props.title} onClose=${props.onClose}>
    <p>${props.message}</p>
    ${error && html`<p class="form-error" role="alert">${error}</p>`}
    <div class="form-actions">
      <button type="button" class="button" onClick=${props.onClose}>Cancel</button>
      <button type="button" class="button button-danger" disabled=${busy} onClick=${confirm}>
        ${busy ? 'Deleting…' : props.confirmLabel}
      </button>
    </div>
  </${Dialog}>`
}
