import { describe, expect, it } from 'vitest'
import { addDays, formatDay, formatMonth, formatRelative, monthAxisLabel } from './dates.ts'
import { formatBytes, formatChange, formatHours } from './numbers.ts'

describe('number formatting', () => {
  it('should sign a change and say "new" when there was nothing to compare with', () => {
    expect(formatChange(33.3)).toBe('+33.3%')
    expect(formatChange(-66.7)).toBe('−66.7%')
    expect(formatChange(0)).toBe('0%')
    expect(formatChange(null)).toBe('new')
  })

  it('should show hours to the hundredth and bytes in decimal units', () => {
    expect(formatHours(12.5)).toMatch(/^12[.,]5 h$/)
    expect(formatBytes(999)).toBe('999 B')
    expect(formatBytes(12_400)).toMatch(/^12[.,]4 kB$/)
    expect(formatBytes(3_100_000)).toMatch(/^3[.,]1 MB$/)
  })
})

describe('date formatting', () => {
  const now = new Date('2026-06-01T12:00:00Z')
  it('should say how long ago in the largest fitting unit', () => {
    expect(formatRelative('2026-06-01T11:55:00Z', now)).toMatch(/5 minutes ago/)
    expect(formatRelative('2026-05-31T12:00:00Z', now)).toMatch(/yesterday|1 day ago/)
    expect(formatRelative('2026-06-01T14:00:00Z', now)).toMatch(/in 2 hours/)
  })

  it('should step calendar days across month ends and leap days', () => {
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28')
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29')
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
    expect(addDays('2026-06-01', -29)).toBe('2026-05-03')
  })

  it('should show calendar days and months as they are, whatever the time zone', () => {
    // The test process runs in the machine's zone; a day read as local midnight elsewhere would slip.
    expect(formatDay('2026-02-05')).toMatch(/5/)
    expect(formatDay('2026-02-05')).not.toMatch(/4/)
    expect(formatMonth('2026-03')).toMatch(/2026/)
    expect(formatMonth('2026-12', 'long')).toMatch(/2026/)
    expect(formatMonth('2026-01')).not.toMatch(/2025/)
    // On an axis, the year only where it starts or changes.
    expect(monthAxisLabel('2026-10', 0)).toEqual([expect.any(String), '2026'])
    expect(monthAxisLabel('2026-11', 1)).toHaveLength(1)
    expect(monthAxisLabel('2027-01', 3)).toEqual([expect.any(String), '2027'])
  })
})
