import { describe, expect, it } from 'vitest'
import { isOverdue } from './customer-deal.ts'
import { dealBody, dealErrorsOf, dealValuesOf, emptyDeal } from './deal-fields.ts'

describe('the deal fields', () => {
  it('should send on create only what was given, the amount as typed', () => {
    expect(dealBody(emptyDeal)).toEqual({})
    expect(dealBody({ deal_value: ' 1250.50 ', expected_close_date: '', next_step: 'Call' })).toEqual({
      deal_value: '1250.50',
      next_step: 'Call',
    })
  })

  it('should send on an edit only what changed, a cleared field as null', () => {
    const before = dealValuesOf({
      deal_value: '100.00',
      expected_close_date: '2031-01-31',
      next_step: 'Call',
    })
    expect(dealBody(before, before)).toEqual({})
    expect(dealBody({ ...before, deal_value: '12,50', next_step: '  ' }, before)).toEqual({
      deal_value: '12,50',
      next_step: null,
    })
  })

  it("should put the API's messages at the deal fields and the rest aside", () => {
    const errors = dealErrorsOf([
      {
        field: 'body.deal_value',
        message: 'must be an amount ≥ 0 with at most two decimals, like "1250.50"',
      },
      { field: 'body.phase', message: 'Invalid option' },
    ])
    expect(errors.deal_value).toBe('Must be an amount ≥ 0 with at most two decimals, like "1250.50".')
    expect(errors['']).toBe('Invalid option.')
  })

  it('should call a close date overdue only when it has passed and the customer is still open', () => {
    const today = '2026-12-05'
    expect(isOverdue({ phase: 'proposal', expected_close_date: '2026-12-04' }, today)).toBe(true)
    expect(isOverdue({ phase: 'proposal', expected_close_date: '2026-12-05' }, today)).toBe(false)
    expect(isOverdue({ phase: 'won', expected_close_date: '2026-01-01' }, today)).toBe(false)
    expect(isOverdue({ phase: 'lead', expected_close_date: null }, today)).toBe(false)
  })
})
