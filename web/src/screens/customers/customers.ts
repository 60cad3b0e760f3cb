import { html } from '../../html.ts'

export function Customers() {
  return html`<section class="screen"><h1>Customers</h1><p>Coming next.</p></section>`
}
