/**
 * Calendar days (YYYY-MM-DD, the organization's local days) for axes and
 * tables. Formatted as UTC midnight so the browser's own zone cannot move a
 * day to its neighbour.
 */
const short = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' })
const long = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
})

const asDate = (day: string) => new Date(`${day}T00:00:00Z`)

/** "5 Mar" */
export const formatDayShort = (day: string) => short.format(asDate(day))
/** "Thu, 5 Mar 2026" */
export const formatDayLong = (day: string) => long.format(asDate(day))
