import { html } from '../../html.ts'
import { type Range, ranges } from '../../router/routes.ts'

/**
 * The trends' range as a radio group styled as segmented buttons: arrow keys
 * move between the options (native radios), and each choice is a URL.
 */
export function RangeSelector(props: { range: Range; onChange: (range: Range) => void }) {
  return html`<fieldset class="range-selector">
    <legend>Range</legend>
    <div class="range-segments">
      ${ranges.map(
        (r) => html`<label key=${r} class="range-segment">
          <input
            type="radio"
            name="overview-range"
            value=${r}
            checked=${r === props.range}
            onChange=${() => props.onChange(r)}
          />
          <span>${r} days</span>
        </label>`,
      )}
    </div>
  </fieldset>`
}
