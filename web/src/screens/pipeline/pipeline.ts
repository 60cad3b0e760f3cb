import { html } from '../../html.ts'

export function Pipeline() {
  return html`<section class="screen"><h1>Pipeline</h1><p>Coming next.</p></section>`
}
