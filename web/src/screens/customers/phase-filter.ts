import { useEffect, useRef } from 'preact/hooks'
import { customerPhases } from '../../../../functions/domain/vocabulary.ts'
import type { Phase } from '../../api/types.ts'
import { phaseLabels } from '../../domain.ts'
import { html } from '../../html.ts'
import { togglePhase } from './customer-query.ts'

/**
 * Several phases at once: checkboxes in a disclosure (<details>), so the
 * toolbar stays one line on a phone and each phase is a real labelled control.
 * Escape closes it and returns focus to its button.
 */
export function PhaseFilter(props: {
  value: Phase[] | undefined
  onChange: (phases: Phase[] | undefined) => void
}) {
  const ref = useRef<HTMLDetailsElement>(null)
  const chosen = props.value ?? []
  const summary =
    chosen.length === 0
      ? 'All phases'
      : chosen.length === 1
        ? phaseLabels[chosen[0] as Phase]
        : `${chosen.length} phases`
  // A click anywhere else closes it, as any menu does.
  useEffect(() => {
    const onPointerDown = (event: PointerEvent) => {
      const details = ref.current
      if (details?.open && !details.contains(event.target as Node)) details.open = false
    }
    document.addEventListener('pointerdown', onPointerDown)
    return () => document.removeEventListener('pointerdown', onPointerDown)
  }, [])
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || !ref.current?.open) return
    event.preventDefault()
    ref.current.open = false
    ref.current.querySelector('summary')?.focus()
  }
  return html`<div class="field">
    <span id="phase-filter-label">Phase</span>
    <details class="phase-filter" ref=${ref} onKeyDown=${onKeyDown}>
      <summary class="button" aria-describedby="phase-filter-label">${summary}</summary>
      <fieldset class="phase-filter-options">
        <legend class="visually-hidden">Show customers in these phases</legend>
        ${customerPhases.map(
          (phase) => html`<label key=${phase} class="check">
            <input
              type="checkbox"
              checked=${chosen.includes(phase)}
              onChange=${(e: Event) => props.onChange(togglePhase(chosen, phase, (e.target as HTMLInputElement).checked))}
            />
            ${phaseLabels[phase]}
          </label>`,
        )}
        ${chosen.length > 0 && html`<button type="button" class="button button-quiet" onClick=${() => props.onChange(undefined)}>All phases</button>`}
      </fieldset>
    </details>
  </div>`
}
