import { describe, expect, it } from 'vitest'
import { canCreateCustomer, canReassignCustomer, canWriteCustomer } from './permissions.ts'

describe('permissions, as the database policies grant them', () => {
  const me = 'u1'
  it('should let reps write only their own customers and managers and up write any', () => {
    expect(canWriteCustomer('rep', me, { owner_id: me })).toBe(true)
    expect(canWriteCustomer('rep', me, { owner_id: 'u2' })).toBe(false)
    expect(canWriteCustomer('rep', me, { owner_id: null })).toBe(false)
    expect(canWriteCustomer('viewer', me, { owner_id: me })).toBe(false)
    for (const role of ['manager', 'admin', 'owner'] as const)
      expect(canWriteCustomer(role, me, { owner_id: 'u2' })).toBe(true)
  })

  it('should let everyone but viewers create, and only managers and up reassign', () => {
    expect(canCreateCustomer('viewer')).toBe(false)
    expect(canCreateCustomer('rep')).toBe(true)
    expect(canReassignCustomer('rep')).toBe(false)
    expect(canReassignCustomer('manager')).toBe(true)
  })
})
