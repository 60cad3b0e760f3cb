import { useCallback, useState } from 'preact/hooks'
import { html } from '../../html.ts'

/**
 * A polite live region for changes a screen reader would otherwise miss
 * ("Moved Acme to Proposal."). The same sentence twice is still read: a
 * counter makes each announcement new text.
 */
export function useAnnouncer() {
  const [message, setMessage] = useState({ text: '', n: 0 })
  const announce = useCallback((text: string) => setMessage((m) => ({ text, n: m.n + 1 })), [])
  const region = html`<p class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
    ${message.text}${message.n % 2 ? '' : '\u00a0'}
  </p>`
  return { announce, region, message: message.text }
}
