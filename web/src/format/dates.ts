/** Dates and times as the dashboard shows them; always with the full timestamp in a title for precision. */
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' })
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' })

export const formatDateTime = (iso: string) => dateTime.format(new Date(iso))
export const formatDate = (iso: string) => dateOnly.format(new Date(iso))

// Calendar days and months (the API's "2026-02-05", "2026-03") are no instants: read and shown in UTC, so no time zone moves them a day.
const calendarDay = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' })
const calendarMonth = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' })
const calendarMonthLong = new Intl.DateTimeFormat(undefined, {
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
})

const monthName = new Intl.DateTimeFormat(undefined, { month: 'short', timeZone: 'UTC' })

/** "2026-02-05" → "5 Feb 2026" (the locale's way). */
export const formatDay = (day: string) => calendarDay.format(new Date(`${day}T00:00:00Z`))
/** "2026-03" → "Mar 2026"; `long`: "March 2026". */
export const formatMonth = (month: string, width: 'short' | 'long' = 'short') =>
  (width === 'long' ? calendarMonthLong : calendarMonth).format(new Date(`${month}-01T00:00:00Z`))

const steps: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
  ['week', 4.35],
  ['month', 12],
  ['year', Number.POSITIVE_INFINITY],
]

/** "5 minutes ago", "yesterday", "in 2 hours" relative to `now`. */
export function formatRelative(iso: string, now: Date = new Date()): string {
  let value = (new Date(iso).getTime() - now.getTime()) / 1000
  for (const [unit, size] of steps) {
    if (Math.abs(value) < size) return relative.format(Math.round(value), unit)
    value /= size
  }
  return formatDate(iso)
}

/** A calendar day `days` before `day` (YYYY-MM-DD), by the calendar, not by 24-hour steps. */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`)
  date.setUTCDate(date.getUTCDate() + days)
  return date.toISOString().slice(0, 10)
}

/** Today as the browser's calendar has it (YYYY-MM-DD). */
export function localToday(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`
}

/** A chart axis's month: "Oct" over "2026" for the first month and each January, "Nov" alone for the others. */
export function monthAxisLabel(month: string, index: number): string[] {
  const name = monthName.format(new Date(`${month}-01T00:00:00Z`))
  return index === 0 || month.endsWith('-01') ? [name, month.slice(0, 4)] : [name]
}
