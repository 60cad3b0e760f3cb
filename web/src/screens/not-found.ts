import { html } from '../html.ts'

export const NotFound = ({ message = 'There is nothing at this address.' }: { message?: string }) =>
  html`<section class="screen">
    <h1>Not found</h1>
    <p>${message}</p>
    <p><a href="#/">Go to your dashboard</a></p>
  </section>`
