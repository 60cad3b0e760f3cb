import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { addDays, formatRelative, monthAxisLabel } from './dates.ts'
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

interface Formatted {
  zone: string
  day: string
  month: string
  longMonth: string
  january: string
  axis: string[]
}

/** The calendar formatters' output in a fresh Node process whose zone is `zone` (TZ). */
function formattedIn(zone: string): Formatted {
  const dates = fileURLToPath(new URL('./dates.ts', import.meta.url))
  const script = `
    const m = await import(${JSON.stringify(dates)})
    console.log(JSON.stringify({
      zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      day: m.formatDay('2026-02-05'),
      month: m.formatMonth('2026-03'),
      longMonth: m.formatMonth('2026-12', 'long'),
      january: m.formatMonth('2026-01'),
      axis: m.monthAxisLabel('2026-01', 1),
    }))`
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    env: { ...process.env, TZ: zone },
    encoding: 'utf8',
  })
  return JSON.parse(out) as Formatted
}

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
    // The formatters are made when the module loads, in the process's zone: each zone gets its own
    // process. Far west and far east of UTC, a day read as local midnight would slip a day.
    const shown = Object.fromEntries(
      ['UTC', 'America/Los_Angeles', 'Pacific/Kiritimati'].map((zone) => [zone, formattedIn(zone)]),
    )
    expect(shown['America/Los_Angeles']?.zone).toBe('America/Los_Angeles')
    expect(shown['Pacific/Kiritimati']?.zone).toBe('Pacific/Kiritimati')
    const { zone: _utc, ...inUtc } = shown.UTC as Formatted
    for (const zone of ['America/Los_Angeles', 'Pacific/Kiritimati']) {
      const { zone: _zone, ...there } = shown[zone] as Formatted
      expect(there, zone).toEqual(inUtc)
    }
    expect(inUtc.day).toMatch(/5/)
    expect(inUtc.day).not.toMatch(/4/)
    expect(inUtc.month).toMatch(/2026/)
    expect(inUtc.longMonth).toMatch(/2026/)
    expect(inUtc.january).not.toMatch(/2025/)
    // On an axis, the year only where it starts or changes.
    expect(monthAxisLabel('2026-10', 0)).toEqual([expect.any(String), '2026'])
    expect(monthAxisLabel('2026-11', 1)).toHaveLength(1)
    expect(monthAxisLabel('2027-01', 3)).toEqual([expect.any(String), '2027'])
  })
})
