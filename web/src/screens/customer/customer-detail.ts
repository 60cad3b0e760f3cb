import { html } from '../../html.ts'

export function CustomerDetail() {
  return html`<section class="screen"><h1>CustomerDetail</h1><p>Coming next.</p></section>`
}
