import { describe, expect, it } from 'vitest'
import { CronError, cronMatches, nextCronTime, parseCron } from './cron.ts'

const at = (iso: string) => new Date(iso)
const next = (expression: string, after: string) =>
  nextCronTime(parseCron(expression), at(after)).toISOString()

describe('parseCron', () => {
  it('should read numbers, *, ranges, steps and lists', () => {
    const cron = parseCron('0,30 9-17/4 1 */6 1-5')
    expect([...cron.minutes]).toEqual([0, 30])
    expect([...cron.hours]).toEqual([9, 13, 17])
    expect([...cron.days]).toEqual([1])
    expect([...cron.months]).toEqual([1, 7])
    expect([...cron.weekdays]).toEqual([1, 2, 3, 4, 5])
  })

  it('should read 7 as Sunday, as 0', () => {
    expect([...parseCron('0 0 * * 7').weekdays]).toEqual([0])
  })

  it.each([
    ['0 2 * *', /five fields/],
    ['0 2 * * * *', /five fields/],
    ['60 * * * *', /minute "60" is outside 0-59/],
    ['* 24 * * *', /hour "24" is outside 0-23/],
    ['* * 0 * *', /day of month "0" is outside 1-31/],
    ['* * * 13 *', /month "13"/],
    ['* * * * 8', /day of week "8"/],
    ['*/0 * * * *', /step under 1/],
    ['5-1 * * * *', /minute "5-1" is outside/],
    ['@daily * * * *', /is not a number/],
    ['* * * * MON', /day of week "MON" is not a number/],
  ])('should refuse "%s", naming the field', (expression, message) => {
    expect(() => parseCron(expression)).toThrow(CronError)
    expect(() => parseCron(expression)).toThrow(message)
  })
})

describe('nextCronTime', () => {
  it('should give the next whole minute for * * * * *, never the current one', () => {
    expect(next('* * * * *', '2026-06-01T02:00:00Z')).toBe('2026-06-01T02:01:00.000Z')
    expect(next('* * * * *', '2026-06-01T02:00:59.999Z')).toBe('2026-06-01T02:01:00.000Z')
  })

  it('should give 02:00 UTC today before it, tomorrow from it on', () => {
    expect(next('0 2 * * *', '2026-06-01T01:59:30Z')).toBe('2026-06-01T02:00:00.000Z')
    expect(next('0 2 * * *', '2026-06-01T02:00:00Z')).toBe('2026-06-02T02:00:00.000Z')
    expect(next('0 2 * * *', '2026-12-31T23:00:00Z')).toBe('2027-01-01T02:00:00.000Z')
  })

  it('should step through minutes, and match a restricted day of month OR day of week, as cron does', () => {
    expect(next('*/5 * * * *', '2026-06-01T02:03:00Z')).toBe('2026-06-01T02:05:00.000Z')
    // 2026-06-01 is a Monday: "the 15th, or any Friday" → Friday 5 June first.
    expect(next('0 0 15 * 5', '2026-06-01T00:00:00Z')).toBe('2026-06-05T00:00:00.000Z')
    expect(next('0 0 * * 5', '2026-06-05T00:00:00Z')).toBe('2026-06-12T00:00:00.000Z')
  })

  it('should find a leap day years away, and refuse an expression no date matches', () => {
    expect(next('0 0 29 2 *', '2026-06-01T00:00:00Z')).toBe('2028-02-29T00:00:00.000Z')
    expect(() => next('0 0 31 2 *', '2026-06-01T00:00:00Z')).toThrow(/never matches/)
  })
})

describe('cronMatches', () => {
  it('should ignore seconds and compare in UTC', () => {
    const cron = parseCron('0 2 * * *')
    expect(cronMatches(cron, at('2026-06-01T02:00:42Z'))).toBe(true)
    expect(cronMatches(cron, at('2026-06-01T02:00:00+02:00'))).toBe(false)
  })
})
