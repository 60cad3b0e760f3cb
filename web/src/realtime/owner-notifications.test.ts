import { describe, expect, it } from 'vitest'
import type { RowChange } from './changes.ts'
import { ownerNewsOf } from './owner-notifications.ts'

const me = 'u-me'
const change = (over: Partial<RowChange>): RowChange => ({
  table: 'customers',
  op: 'UPDATE',
  id: 'c1',
  owner_id: me,
  updated_at: '2026-11-25T18:40:11.625+00:00',
  record: {},
  ...over,
})

describe('ownerNewsOf', () => {
  it('should announce phase moves, hand-overs, renames and new customers of mine', () => {
    expect(ownerNewsOf(change({ record: { phase: 'won' } }), me)).toBe('{name} moved to Won')
    expect(ownerNewsOf(change({ record: { owner_id: me } }), me)).toBe('{name} is now yours')
    expect(ownerNewsOf(change({ record: { name: 'Acme' } }), me)).toBe('Your customer was renamed to {name}')
    expect(ownerNewsOf(change({ op: 'INSERT', record: { name: 'Acme', phase: 'lead' } }), me)).toBe(
      'New customer for you: {name}',
    )
  })

  it('should stay quiet about other people’s customers and other tables', () => {
    expect(ownerNewsOf(change({ owner_id: 'someone', record: { phase: 'won' } }), me)).toBeUndefined()
    expect(ownerNewsOf(change({ table: 'contacts', record: { name: 'x' } }), me)).toBeUndefined()
    expect(ownerNewsOf(change({ op: 'DELETE' }), me)).toBeUndefined()
  })
})
