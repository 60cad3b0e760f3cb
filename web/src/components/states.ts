import { describeError } from '../api/describe-error.ts'
import { html } from '../html.ts'

/** Shown while a screen's data loads: announced to screen readers, no layout jump. */
export const Loading = ({ label = 'Loading…' }: { label?: string }) =>
  html`<p class="state state-loading" role="status"><span class="spinner" aria-hidden="true"></span>${label}</p>`

/** A failed load in plain words, with a way to try again. */
export const ErrorState = ({ error, retry, what }: { error: unknown; retry?: () => void; what?: string }) =>
  html`<div class="state state-error" role="alert">
    <p>${describeError(error, what)}</p>
    ${retry && html`<button type="button" class="button" onClick=${retry}>Try again</button>`}
  </div>`

export const Empty = ({ children }: { children: unknown }) =>
  html`<div class="state state-empty">${children}</div>`
