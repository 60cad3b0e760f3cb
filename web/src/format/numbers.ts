/** Numbers as people read them on the dashboard, in the browser's language. */
const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 })
const hours = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 })

export const formatCount = (n: number) => integer.format(n)

/** 12.5 → "12.5 h" */
export const formatHours = (n: number) => `${hours.format(n)} h`

/** A change against the previous period: "+33.3%", "−66.7%", "0%"; null (nothing to compare with) → "new". */
export function formatChange(percent: number | null): string {
  if (percent === null) return 'new'
  if (percent === 0) return '0%'
  const sign = percent > 0 ? '+' : '−'
  return `${sign}${Math.abs(percent).toLocaleString(undefined, { maximumFractionDigits: 1 })}%`
}

/** Bytes for a file list: "532 B", "12.4 kB", "3.1 MB". */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`
  const units = ['kB', 'MB', 'GB']
  let value = n
  let unit = 'B'
  for (const u of units) {
    if (value < 1000) break
    value /= 1000
    unit = u
  }
  return `${value.toLocaleString(undefined, { maximumFractionDigits: 1 })} ${unit}`
}

/** A rate between 0 and 1 as a percentage: 0.425 → "42.5%" (the locale's way). */
export const formatRate = (rate: number, locale?: string) =>
  rate.toLocaleString(locale, { style: 'percent', maximumFractionDigits: 1 })

/** The move of a rate in percentage points: 0.5 → 0.425 is "−7.5 pts"; "±0 pts" when unchanged. */
export function formatPointChange(now: number, before: number): string {
  const points = Math.round((now - before) * 1000) / 10
  if (points === 0) return '±0 pts'
  const sign = points > 0 ? '+' : '−'
  return `${sign}${Math.abs(points).toLocaleString(undefined, { maximumFractionDigits: 1 })} pts`
}
