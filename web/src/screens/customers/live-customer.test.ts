import { describe, expect, it } from 'vitest'
import type { Customer } from '../../api/types.ts'
import type { RowChange } from '../../realtime/changes.ts'
import { applyLiveChange, applyLiveUpdate } from './live-customer.ts'

const acme: Customer = {
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
  updated_at: '2026-11-25T18:40:11.625+00:00',
  version: '1795632011625000',
}
const update = (updated_at: string, record: Record<string, unknown>, owner_id = 'u1'): RowChange => ({
  table: 'customers',
  op: 'UPDATE',
  id: 'c1',
  owner_id,
  updated_at,
  record,
})

describe('live customer changes', () => {
  it('should apply a newer update: the changed columns, the owner, the new version', () => {
    const next = applyLiveUpdate(acme, update('2026-11-25T18:41:00.000001+00:00', { phase: 'won' }, 'u2'))
    expect(next).toEqual({
      ...acme,
      phase: 'won',
      owner_id: 'u2',
      updated_at: '2026-11-25T18:41:00.000001+00:00',
      version: '1795632060000001',
    })
  })

  it('should ignore an update that is not newer (the echo of our own change)', () => {
    expect(applyLiveUpdate(acme, update(acme.updated_at, { phase: 'won' }))).toBeUndefined()
    expect(applyLiveUpdate(acme, update('2026-11-25T18:00:00Z', { phase: 'won' }))).toBeUndefined()
  })

  it('should ignore values it does not know', () => {
    const next = applyLiveUpdate(acme, update('2026-11-25T18:41:00Z', { phase: 'bogus', name: 7 }))
    expect(next?.phase).toBe('lead')
    expect(next?.name).toBe('Acme')
  })

  it('should remove a deleted row and leave other tables alone', () => {
    const other = { ...acme, id: 'c2' }
    const rows = [acme, other]
    expect(applyLiveChange(rows, { ...update('', {}), op: 'DELETE' })).toEqual([other])
    expect(applyLiveChange(rows, { ...update('2026-11-25T19:00:00Z', {}), table: 'contacts' })).toBe(rows)
    expect(applyLiveChange(rows, { ...update('2026-11-25T19:00:00Z', {}), id: 'c9' })).toBe(rows)
  })
})
