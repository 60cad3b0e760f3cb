/**
 * A record's version (its ETag: updated_at in microseconds since the epoch, as
 * the API computes it in SQL) from the timestamp a realtime message carries,
 * e.g. "2026-11-25T18:40:11.625+00:00". Exact: Date would drop microseconds.
 */
export function versionOf(timestamp: string): string {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?(Z|[+-]\d{2}(?::?\d{2})?)$/.exec(
    timestamp,
  )
  if (!match) throw new Error(`Not a timestamp: ${timestamp}`)
  const [, seconds, fraction = '', zone] = match
  const offset =
    zone === 'Z' ? 'Z' : zone?.length === 3 ? `${zone}:00` : zone?.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')
  const wholeMs = Date.parse(`${seconds}${offset}`)
  if (Number.isNaN(wholeMs)) throw new Error(`Not a timestamp: ${timestamp}`)
  return (BigInt(wholeMs) * 1000n + BigInt(fraction.padEnd(6, '0'))).toString()
}

/** True when version a is newer than b (versions are decimal strings of up to 19 digits). */
export const isNewer = (a: string, b: string) => BigInt(a) > BigInt(b)
