/** Timestamps leave as ISO 8601 strings whichever driver read them (postgres.js: a Date; PGlite: a Date or text). */
export function isoTimestamp(value: unknown): string {
  if (value instanceof Date) return value.toISOString()
  return new Date(String(value)).toISOString()
}
