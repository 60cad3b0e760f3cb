import { describe, expect, it } from 'vitest'
import { cssVar, phaseColor, withAlpha } from './theme.ts'

describe('chart theme', () => {
  it('should turn a hex colour into a translucent one for filled areas', () => {
    expect(withAlpha('#1d4ed8', 0.5)).toBe('rgb(29 78 216 / 0.5)')
    expect(withAlpha('rebeccapurple', 0.5)).toBe('rebeccapurple')
  })

  it('should fall back to fixed colours where there is no page (no DOM)', () => {
    expect(cssVar('--phase-won', '#15803d')).toBe('#15803d')
    expect(phaseColor('lead')).toBe('#64748b')
  })
})
