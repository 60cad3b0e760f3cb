import { html } from '../../html.ts'

export function Chat() {
  return html`<section class="screen"><h1>Chat</h1><p>Coming next.</p></section>`
}
