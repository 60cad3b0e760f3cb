import { useServices } from '../context.ts'
import { html } from '../html.ts'
import { useStore } from '../state/store.ts'

/** The toast region: polite for news, assertive (role=alert) for errors. */
export function ToastRegion() {
  const { toasts } = useServices()
  const list = useStore(toasts.list)
  return html`<div class="toasts" aria-live="polite">
    ${list.map(
      (
        t,
      ) => html`<div key=${t.id} class=${`toast toast-${t.kind}`} role=${t.kind === 'error' ? 'alert' : 'status'}>
        <span>${t.text}</span>
        <button type="button" class="toast-close" aria-label="Dismiss" onClick=${() => toasts.dismiss(t.id)}>×</button>
      </div>`,
    )}
  </div>`
}
