import type { Member } from '../../api/types.ts'
import { html } from '../../html.ts'

/** The owner filter: anyone, or one member (by name, A→Z). Shared with the pipeline. */
export function OwnerFilter(props: {
  members: readonly Member[] | undefined
  value: string | undefined
  userId: string
  onChange: (owner: string | undefined) => void
}) {
  const sorted = [...(props.members ?? [])].sort((a, b) => a.display_name.localeCompare(b.display_name))
  const known = !props.value || sorted.some((m) => m.user_id === props.value)
  return html`<label class="field">
    <span>Owner</span>
    <select
      value=${props.value ?? ''}
      onChange=${(e: Event) => props.onChange((e.target as HTMLSelectElement).value || undefined)}
    >
      <option value="">Anyone</option>
      ${sorted.map(
        (m) =>
          html`<option key=${m.user_id} value=${m.user_id}>${m.display_name}${m.user_id === props.userId ? ' (me)' : ''}</option>`,
      )}
      ${!known && html`<option value=${props.value}>Former member</option>`}
    </select>
  </label>`
}
