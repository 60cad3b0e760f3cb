import { describe, expect, it } from 'vitest'
import { dealOf } from './materialize.ts'

describe('dealOf: a CRM deal’s fields as the customer’s columns take them', () => {
  it('should round an amount to the cent and take a day, an ISO time or epoch milliseconds as the close date', () => {
    expect(dealOf({ deal_value: '1500', expected_close_date: '2027-01-31' })).toEqual({
      dealValue: '1500.00',
      expectedCloseDate: '2027-01-31',
    })
    expect(dealOf({ deal_value: '99.999', expected_close_date: '2027-01-31T22:30:00Z' })).toEqual({
      dealValue: '100.00',
      expectedCloseDate: '2027-01-31',
    })
    // HubSpot's closedate: milliseconds since the epoch, as text.
    expect(dealOf({ expected_close_date: String(Date.UTC(2027, 5, 30, 12)) })).toEqual({
      expectedCloseDate: '2027-06-30',
    })
  })

  it('should clear what the source cleared, and leave out what the columns cannot hold', () => {
    expect(dealOf({ deal_value: null, expected_close_date: '' })).toEqual({
      dealValue: null,
      expectedCloseDate: null,
    })
    for (const bad of ['-1', 'abc', '1e12', 'Infinity', 'NaN'])
      expect(dealOf({ deal_value: bad }), bad).toEqual({})
    for (const bad of ['2027-02-30', '1899-12-31', '3000-01-01', 'soon', '99999999999999999999'])
      expect(dealOf({ expected_close_date: bad }), bad).toEqual({})
    expect(dealOf({ name: 'Acme' })).toEqual({})
  })
})
