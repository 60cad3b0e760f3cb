import { describe, expect, it } from 'vitest'
import type { CustomerDetail } from '../../api/types.ts'
import { confirmed, patched, rolledBack } from './customer-edit.ts'

const customer = {
  id: 'c1',
  org_id: 'o1',
  name: 'Acme',
  phase: 'lead',
  owner_id: 'u1',
  external_ids: {},
  deal_value: null,
  expected_close_date: null,
  next_step: null,
  monthly_recurring_value: '0',
  value: '0',
  weighted_value: '0',
  phase_entered_at: '2026-01-01T00:00:00Z',
  days_in_phase: 0,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  version: '100',
  counts: { contacts: 2, teams: 1, processes: 0, services: 0, documents: 0, timeline_events: 3 },
} satisfies CustomerDetail

describe('an optimistic edit of the customer', () => {
  it('should show the change at once and take the server’s copy, keeping the counts', () => {
    const shown = patched(customer, { name: 'Acme Ltd' })
    expect(shown.name).toBe('Acme Ltd')
    const saved = confirmed(shown, { ...customer, name: 'Acme Ltd', version: '101' })
    expect(saved).toMatchObject({ name: 'Acme Ltd', version: '101', counts: customer.counts })
  })

  it('should restore the patched fields when refused', () => {
    const shown = patched(customer, { name: 'Acme Ltd', phase: 'won' })
    expect(rolledBack(shown, customer, { name: 'Acme Ltd', phase: 'won' })).toEqual(customer)
  })

  it('should not roll back over a newer version that arrived meanwhile', () => {
    const newer = { ...patched(customer, { name: 'Acme Ltd' }), name: 'Acme Group', version: '102' }
    expect(rolledBack(newer, customer, { name: 'Acme Ltd' })).toEqual(newer)
    expect(confirmed(newer, { ...customer, name: 'Acme Ltd', version: '101' })).toEqual(newer)
  })
})
