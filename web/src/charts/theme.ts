import type { Phase } from '../api/types.ts'

/** A CSS custom property of the page (app.css), so charts use the same colours as badges. */
export function cssVar(name: string, fallback: string): string {
  if (typeof document === 'undefined') return fallback
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback
}

export const phaseColor = (phase: Phase) => cssVar(`--phase-${phase}`, '#64748b')

/** People who asked their system for less motion get charts that appear at once. */
export const prefersReducedMotion = () =>
  typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches

/**
 * Categorical colours for series without a colour of their own (services):
 * distinguishable for the common colour-vision deficiencies, each ≥ 3:1 on white.
 */
export const seriesPalette = [
  '#1d4ed8',
  '#b45309',
  '#0f766e',
  '#be123c',
  '#7c3aed',
  '#15803d',
  '#0369a1',
  '#a21caf',
  '#6b7280',
] as const

/** `rgb(…)`/`#rrggbb` with transparency, for filled areas under lines. */
export function withAlpha(hex: string, alpha: number): string {
  const match = /^#([0-9a-f]{6})$/i.exec(hex)
  if (!match?.[1]) return hex
  const n = Number.parseInt(match[1], 16)
  return `rgb(${(n >> 16) & 255} ${(n >> 8) & 255} ${n & 255} / ${alpha})`
}
