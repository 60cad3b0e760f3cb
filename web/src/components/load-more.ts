import { describeError } from '../api/describe-error.ts'
import { html } from '../html.ts'

/** The "Load more" button under a keyset list, with its own loading and failure state. */
export function LoadMore(props: {
  hasMore: boolean
  more: { loading: boolean; error?: unknown }
  onLoad: () => void
  label: string
}) {
  if (!props.hasMore) return null
  return html`<div class="load-more">
    ${props.more.error && html`<p class="form-error" role="alert">${describeError(props.more.error)}</p>`}
    <button type="button" class="button" disabled=${props.more.loading} onClick=${props.onLoad}>
      ${props.more.loading ? 'Loading…' : props.label}
    </button>
  </div>`
}
