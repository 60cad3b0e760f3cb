import { describe, expect, it } from 'vitest'
import {
  addAmounts,
  formatMoney,
  formatMoneyChange,
  formatMoneyCompact,
  formatMoneyShort,
  moneyChange,
  negateAmount,
} from './money.ts'
import { formatPointChange, formatRate } from './numbers.ts'

describe('money formatting', () => {
  it('should show the whole amount in the currency and the locale given', () => {
    expect(formatMoney('12500.00', 'EUR', 'en-GB')).toBe('€12,500.00')
    expect(formatMoney('12500.00', 'EUR', 'de-DE')).toBe('12.500,00\u00a0€')
    expect(formatMoney('1234.5', 'USD', 'en-US')).toBe('$1,234.50')
    expect(formatMoney('0', 'EUR', 'en-GB')).toBe('€0.00')
    expect(formatMoney('-12.30', 'EUR', 'en-GB')).toBe('-€12.30')
  })

  it('should lose no cent, not even beyond a float’s precision or the currency’s usual decimals', () => {
    // 2^53 + 1 with cents: a float would end in …992.00.
    expect(formatMoney('9007199254740993.01', 'EUR', 'en-GB')).toBe('€9,007,199,254,740,993.01')
    expect(formatMoney('1234.56', 'JPY', 'en-US')).toBe('¥1,234.56')
    expect(formatMoney('1234.00', 'JPY', 'en-US')).toBe('¥1,234')
    expect(formatMoney('0.125', 'KWD', 'en-GB')).toBe('KWD\u00a00.125')
  })

  it('should shorten a large amount for a KPI, and keep a smaller one whole', () => {
    expect(formatMoneyShort('1234567.89', 'EUR', 'en-GB')).toBe('€1.23m')
    expect(formatMoneyShort('845000.00', 'USD', 'en-US')).toBe('$845K')
    expect(formatMoneyShort('99999.99', 'EUR', 'en-GB')).toBe('€99,999.99')
    expect(formatMoneyShort('100000.00', 'EUR', 'en-GB')).toBe('€100k')
    // An axis is always short.
    expect(formatMoneyCompact('20000', 'EUR', 'en-GB')).toBe('€20k')
    expect(formatMoneyCompact('950', 'EUR', 'en-GB')).toBe('€950')
  })

  it('should refuse text that is not a decimal amount rather than show NaN', () => {
    expect(() => formatMoney('12,50', 'EUR', 'en-GB')).toThrow(RangeError)
    expect(() => formatMoney('1e5', 'EUR', 'en-GB')).toThrow(RangeError)
  })
})

describe('money changes', () => {
  it('should subtract exactly and give the percent of the earlier amount to one decimal', () => {
    expect(moneyChange('1200.00', '1000.00')).toEqual({ difference: '200.00', percent: 20 })
    expect(moneyChange('900.5', '1000.00')).toEqual({ difference: '-99.50', percent: -10 })
    expect(moneyChange('0.30', '0.10')).toEqual({ difference: '0.20', percent: 200 })
    expect(moneyChange('9007199254740993.01', '9007199254740992.00')).toEqual({
      difference: '1.01',
      percent: 0,
    })
    // 1/3 up: 33.333…% rounds to 33.3, 2/3 to 66.7.
    expect(moneyChange('400', '300').percent).toBe(33.3)
    expect(moneyChange('500', '300').percent).toBe(66.7)
    expect(moneyChange('100', '300').percent).toBe(-66.7)
  })

  it('should have no percent when there was nothing before', () => {
    expect(moneyChange('500.00', '0.00')).toEqual({ difference: '500.00', percent: null })
  })

  it('should sign a change with a real minus, and say ± for none', () => {
    expect(formatMoneyChange('200.00', 'EUR', 'en-GB')).toBe('+€200.00')
    expect(formatMoneyChange('-99.50', 'EUR', 'en-GB')).toBe('−€99.50')
    expect(formatMoneyChange('0.00', 'EUR', 'en-GB')).toBe('±€0.00')
    expect(formatMoneyChange('-250000.00', 'EUR', 'en-GB')).toBe('−€250k')
  })
})

describe('rates', () => {
  it('should show a rate as a percentage and its move in points', () => {
    expect(formatRate(0.425)).toMatch(/^42[.,]5\s?%$/)
    expect(formatRate(1)).toMatch(/^100\s?%$/)
    expect(formatPointChange(0.425, 0.5)).toMatch(/^−7[.,]5 pts$/)
    expect(formatPointChange(0.6, 0.5)).toMatch(/^\+10 pts$/)
    expect(formatPointChange(0.5, 0.5)).toBe('±0 pts')
  })

  it('should add and take away amounts exactly, whatever their decimals', () => {
    expect(addAmounts('9007199254740993.01', '0.1')).toBe('9007199254740993.11')
    expect(addAmounts('100.00', negateAmount('250.5'))).toBe('-150.50')
    expect(addAmounts('0', '0.00')).toBe('0.00')
    expect(negateAmount('-3.5')).toBe('3.5')
    expect(negateAmount('0.00')).toBe('0.00')
  })
})
