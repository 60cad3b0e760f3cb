import { describe, expect, it } from 'vitest'
import { merge } from './merge.ts'
import type { CrmChange } from './providers/types.ts'

const state = (customer: string | null, at: number) => ({
  local_id: null,
  properties: { customer },
  changed_at: { customer: at, _seen: at },
  deleted_ms: null,
})
const change = (fields: Partial<CrmChange>): CrmChange => ({
  kind: 'deal',
  externalId: '77',
  action: 'upsert',
  occurredAt: 2000,
  properties: {},
  label: 'test',
  ...fields,
})

describe('merge: an object’s sync state after one change', () => {
  it('should clear the company of an object whose link to that company was removed', () => {
    expect(merge(state('9', 1000), change({ dissociatedFrom: '9' }))?.properties.customer).toBeNull()
  })

  it('should keep a link to another company when an older link is removed', () => {
    const merged = merge(state('10', 1000), change({ dissociatedFrom: '9' }))
    expect(merged?.properties.customer).toBe('10')
    expect(merged?.changed).toEqual([])
  })

  it('should not let a removal older than the link take it away', () => {
    const merged = merge(state('9', 3000), change({ dissociatedFrom: '9' }))
    expect(merged?.properties.customer).toBe('9')
    expect(merged?.changed).toEqual([])
  })

  it('should take a newer value and keep a newer one, property by property', () => {
    const merged = merge(
      {
        ...state('9', 1000),
        properties: { customer: '9', deal_value: '5' },
        changed_at: { customer: 1000, deal_value: 3000 },
      },
      change({ properties: { customer: '10', deal_value: '6' } }),
    )
    expect(merged?.properties).toEqual({ customer: '10', deal_value: '5' })
    expect(merged?.changed).toEqual(['customer'])
  })
})
