/**
 * A Postgres array literal for values we have already validated as plain
 * identifiers (enum members): passed as one text parameter and cast in SQL, so
 * both drivers send it the same way.
 */
export function pgTextArray(values: readonly string[]): string {
  for (const v of values) if (!/^[a-z_]+$/.test(v)) throw new Error(`Not an identifier: ${v}`)
  return `{${values.join(',')}}`
}

/** Escapes LIKE/ILIKE wildcards so a search for "50%" finds "50%", not everything. */
export function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (m) => `\\${m}`)}%`
}

/** Timestamps leave as ISO 8601 strings whichever driver read them. */
export function isoTimestamp(value: unknown): string {
  if (value instanceof Date) return value.toISOString()
  return new Date(String(value)).toISOString()
}
