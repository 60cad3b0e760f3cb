import type { Phase } from '../api/types.ts'
import { phaseLabels } from '../domain.ts'
import { html } from '../html.ts'

export const PhaseBadge = ({ phase }: { phase: Phase }) =>
  html`<span class=${`phase phase-${phase}`}>${phaseLabels[phase]}</span>`
