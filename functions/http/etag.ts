import type { Context } from 'hono'
import { problems } from '../problems/problem.ts'

/**
 * Strong ETags from a row's version: updated_at in microseconds, read in SQL
 * (queries/row-versions.ts) because a JS Date keeps only milliseconds and two
 * writes can share one.
 */
export const etagOf = (version: number | string) => `"${version}"`

/** The version as a body field: what a list row carries so a client can send If-Match without a GET first. */
export const versionString = (version: number | string) => String(version)

/** The largest version there can be: versions are bigint in SQL. */
const largestVersion = 9223372036854775807n

/**
 * The version an `If-Match` header (RFC 9110 §13.1.1) asks for: undefined when
 * absent or `*`. A weak or malformed tag can never match a strong one, nor can
 * a number beyond bigint (SQL would refuse to cast it): 412.
 */
export function ifMatchVersion(c: Context): string | undefined {
  const header = c.req.header('If-Match')?.trim()
  if (!header || header === '*') return undefined
  // bigint's 19 digits (longer can match nothing), and the counts a customer read with them adds.
  const match = /^"(\d{1,19})(?:-[\d.]{1,200})?"$/.exec(header)
  if (!match?.[1] || BigInt(match[1]) > largestVersion) throw problems.preconditionFailed()
  return match[1]
}
