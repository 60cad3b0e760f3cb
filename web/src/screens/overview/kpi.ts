import { html } from '../../html.ts'

/** The direction of a KPI's change; `new` when there is nothing earlier to compare with. */
export type Trend = 'up' | 'down' | 'flat' | 'new'

export const changeArrows: Record<Trend, string> = { up: '▲', down: '▼', flat: '■', new: '●' }

/**
 * One headline number: a region named by its label, the number big (with
 * its whole value as a tooltip when the number is shortened), and one
 * sentence that says it all for screen readers; the visual extras (bars,
 * change lines) are hidden from them as repetition.
 */
export function Kpi(props: {
  id: string
  label: string
  value: string
  /** The unshortened value, shown on hover when `value` is "€1.2M". */
  title?: string
  unit?: string
  spoken: string
  /** 3 under a section heading of its own. */
  level?: 2 | 3
  children?: unknown
}) {
  const Heading = props.level === 3 ? 'h3' : 'h2'
  return html`<section class="card kpi" aria-labelledby=${`${props.id}-label`}>
    <${Heading} class="kpi-label" id=${`${props.id}-label`}>${props.label}</${Heading}>
    <p class="kpi-value" aria-hidden="true" title=${props.title}>
      ${props.value}${props.unit && html`<span class="kpi-unit"> ${props.unit}</span>`}
    </p>
    <p class="visually-hidden">${props.spoken}</p>
    ${props.children}
  </section>`
}

/** A KPI's change line, seen but not read out (the spoken sentence has it). */
export const KpiChange = ({ trend, children }: { trend: Trend; children: unknown }) =>
  html`<p class=${`kpi-change kpi-change-${trend}`} aria-hidden="true">
    <span class="kpi-arrow">${changeArrows[trend]}</span>${children}
  </p>`
