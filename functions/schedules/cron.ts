/**
 * Standard five-field cron expressions (minute hour day-of-month month
 * day-of-week), in UTC as Cloudflare's Cron Triggers and pg_cron read them.
 * Only what those two both accept: numbers, `*`, ranges `a-b`, steps `/n` and
 * lists; no names (`MON`), no `L`/`W`/`#`, no seconds field.
 */
export interface Cron {
  expression: string
  minutes: ReadonlySet<number>
  hours: ReadonlySet<number>
  days: ReadonlySet<number>
  months: ReadonlySet<number>
  /** 0 = Sunday (7 is read as 0). */
  weekdays: ReadonlySet<number>
  /** cron's rule: when both day fields are restricted, a day matching either one matches. */
  daysRestricted: boolean
  weekdaysRestricted: boolean
}

export class CronError extends Error {
  override name = 'CronError'
}

const fields = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
] as const

function parseField(text: string, { name, min, max }: (typeof fields)[number], expression: string) {
  const values = new Set<number>()
  const wrong = (why: string) => new CronError(`"${expression}": ${name} "${text}" ${why}`)
  for (const part of text.split(',')) {
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part)
    if (!match) throw wrong(`is not a number, range, * or step (${min}-${max})`)
    const [, , first, last, step] = match
    const from = first === undefined ? min : Number(first)
    const to = first === undefined ? max : last === undefined ? (step ? max : from) : Number(last)
    const by = step === undefined ? 1 : Number(step)
    if (from < min || to > max || from > to) throw wrong(`is outside ${min}-${max}`)
    if (by < 1) throw wrong('has a step under 1')
    for (let v = from; v <= to; v += by) values.add(name === 'day of week' && v === 7 ? 0 : v)
  }
  return values
}

export function parseCron(expression: string): Cron {
  const parts = expression.trim().split(/\s+/)
  if (parts.length !== fields.length)
    throw new CronError(`"${expression}": five fields expected (minute hour day month weekday)`)
  const [minutes, hours, days, months, weekdays] = fields.map((field, i) =>
    parseField(parts[i] as string, field, expression),
  ) as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>]
  return {
    expression,
    minutes,
    hours,
    days,
    months,
    weekdays,
    daysRestricted: parts[2] !== '*',
    weekdaysRestricted: parts[4] !== '*',
  }
}

/** Whether the day of `date` is one the expression names (UTC). */
function dayMatches(cron: Cron, date: Date): boolean {
  if (!cron.months.has(date.getUTCMonth() + 1)) return false
  const day = cron.days.has(date.getUTCDate())
  const weekday = cron.weekdays.has(date.getUTCDay())
  return cron.daysRestricted && cron.weekdaysRestricted ? day || weekday : day && weekday
}

/** Whether the expression names the minute `date` falls in (UTC; seconds are ignored). */
export function cronMatches(cron: Cron, date: Date): boolean {
  return (
    cron.minutes.has(date.getUTCMinutes()) && cron.hours.has(date.getUTCHours()) && dayMatches(cron, date)
  )
}

const minute = 60_000
const day = 24 * 60 * minute
/** Far enough for any expression that can match at all (29 February on a Sunday: 28 years). */
const horizon = 28 * 366 * day

/** The first whole minute strictly after `after` that the expression names. */
export function nextCronTime(cron: Cron, after: Date): Date {
  const start = Math.floor(after.getTime() / minute) * minute + minute
  for (let t = start; t < start + horizon; ) {
    const date = new Date(t)
    if (!dayMatches(cron, date)) t = Math.floor(t / day) * day + day
    else if (cronMatches(cron, date)) return date
    else t += minute
  }
  throw new CronError(`"${cron.expression}" never matches a real date`)
}
