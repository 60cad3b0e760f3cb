import { html } from '../../html.ts'

export function Overview() {
  return html`<section class="screen"><h1>Overview</h1><p>Coming next.</p></section>`
}
