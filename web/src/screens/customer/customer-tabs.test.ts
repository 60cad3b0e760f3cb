import { describe, expect, it } from 'vitest'
import { tabAfterKey } from './customer-tabs.ts'

describe('keyboard use of the customer tabs', () => {
  it('should move right and left, wrapping at both ends', () => {
    expect(tabAfterKey('contacts', 'ArrowRight')).toBe('teams')
    expect(tabAfterKey('timeline', 'ArrowRight')).toBe('contacts')
    expect(tabAfterKey('contacts', 'ArrowLeft')).toBe('timeline')
  })

  it('should jump to the first and last tab and ignore other keys', () => {
    expect(tabAfterKey('services', 'Home')).toBe('contacts')
    expect(tabAfterKey('services', 'End')).toBe('timeline')
    expect(tabAfterKey('services', 'Enter')).toBeUndefined()
  })
})
