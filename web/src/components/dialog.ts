import type { ComponentChildren } from 'preact'
import { useEffect, useRef } from 'preact/hooks'
import { html } from '../html.ts'

/**
 * A modal dialog on the native <dialog>: the browser traps focus, Escape
 * closes it, and focus returns to what opened it.
 */
export function Dialog(props: { title: string; onClose: () => void; children: ComponentChildren }) {
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const dialog = ref.current
    const opener = document.activeElement as HTMLElement | null
    dialog?.showModal()
    return () => {
      dialog?.close()
      opener?.focus?.()
    }
  }, [])
  return html`<dialog
    ref=${ref}
    class="dialog"
    aria-labelledby="dialog-title"
    onCancel=${(e: Event) => {
      e.preventDefault()
      props.onClose()
    }}
  >
    <div class="dialog-head">
      <h2 id="dialog-title">${props.title}</h2>
      <button type="button" class="icon-button" aria-label="Close" onClick=${props.onClose}>×</button>
    </div>
    ${props.children}
  </dialog>`
}
