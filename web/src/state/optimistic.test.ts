import { describe, expect, it } from 'vitest'
import { applyPatch, mergeNewer, rollbackPatch } from './optimistic.ts'

const a = { id: 'a', version: '10', phase: 'lead' }
const b = { id: 'b', version: '20', phase: 'won' }

describe('optimistic list changes', () => {
  it('should apply a patch at once and roll back exactly that patch', () => {
    const { items, before } = applyPatch([a, b], 'a', { phase: 'qualified' })
    expect(items).toEqual([{ ...a, phase: 'qualified' }, b])
    expect(rollbackPatch(items, before as typeof a, { phase: 'qualified' })).toEqual([a, b])
  })

  it('should not roll back over a newer version that arrived meanwhile', () => {
    const { items, before } = applyPatch([a, b], 'a', { phase: 'qualified' })
    const newer = mergeNewer(items, { id: 'a', version: '11', phase: 'proposal' })
    expect(rollbackPatch(newer, before as typeof a, { phase: 'qualified' })).toEqual([
      { id: 'a', version: '11', phase: 'proposal' },
      b,
    ])
  })

  it('should keep the newest version when an older copy arrives late', () => {
    const current = [{ ...a, version: '12', phase: 'won' }]
    expect(mergeNewer(current, { ...a, version: '11', phase: 'lost' })).toEqual(current)
    expect(mergeNewer(current, { ...a, version: '13', phase: 'lost' })[0]?.phase).toBe('lost')
  })
})
