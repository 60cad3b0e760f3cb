import { isIP } from 'node:net'
import type { Context } from 'hono'
import type { Database } from '../../../functions/db/database.ts'
import { AuthError } from './errors.ts'
import type { RateLimiter } from './rate-limit.ts'
import type { Client } from './sessions.ts'
import type { TokenSettings } from './tokens.ts'

/** What every endpoint of the local auth needs: built once by createLocalAuth. */
export interface LocalAuthContext {
  db: Database
  tokens: TokenSettings
  /** GoTrue's SECURITY_REFRESH_TOKEN_REUSE_INTERVAL, in seconds. */
  reuseInterval: number
  /** The audience GoTrue signs users into (its JWT_AUD). */
  audience: string
  clock: () => Date
  /** The stack's origin: invite links point at `<siteUrl>/auth/v1/verify` and lead back to it. */
  siteUrl: string
  /** GoTrue's MAILER_OTP_EXP: how long an emailed link works, in seconds (a day). */
  emailLinkExpiresIn: number
  /** Where emails go instead of a mail server (the stack's log). */
  mail: (message: LocalMail) => void
  limits: {
    /** POST /token per client address; absent: not limited. */
    address?: RateLimiter
    /** POST /token?grant_type=password per email address; absent: not limited. */
    email?: RateLimiter
    /** GoTrue's RATE_LIMIT_HEADER: key the address limit on this header (behind a trusted proxy) instead of the socket. */
    addressHeader?: string
  }
}

/** An email the local auth would have sent: GoTrue's template data that matters for a link. */
export interface LocalMail {
  to: string
  type: 'invite'
  /** GoTrue's {{ .ConfirmationURL }}. */
  link: string
  /** GoTrue's {{ .Token }}: the one-time code the link's token hash is made from. */
  otp: string
}

/**
 * The JSON body as GoTrue's retrieveRequestParams reads it: anything that is
 * not a JSON object is 400 bad_json.
 */
export async function readJsonObject(c: Context): Promise<Record<string, unknown>> {
  let body: unknown
  try {
    body = JSON.parse(await c.req.text())
  } catch (error) {
    throw new AuthError(400, 'bad_json', `Could not parse request body as JSON: ${(error as Error).message}`)
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AuthError(400, 'bad_json', 'Could not parse request body as JSON: expected an object')
  }
  return body as Record<string, unknown>
}

/** A string field of the body; a value of another type is bad JSON for GoTrue's typed params. */
export function stringField(body: Record<string, unknown>, name: string): string {
  const value = body[name]
  if (value === undefined || value === null) return ''
  if (typeof value !== 'string') {
    throw new AuthError(400, 'bad_json', `Could not parse request body as JSON: ${name} must be a string`)
  }
  return value
}

/** The caller's user agent and address, as GoTrue records them on the session. */
export function clientOf(c: Context): Client {
  const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim()
  const socket = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming
    ?.socket
  const ip = [forwarded, socket?.remoteAddress].find((candidate) => candidate && isIP(candidate) !== 0)
  return { userAgent: c.req.header('user-agent') ?? null, ip: ip ?? null }
}

/**
 * The address a rate limit is kept for: the first value of the configured
 * header, as GoTrue's performRateLimitingWithHeader reads it, or else the
 * connection's peer. Never X-Forwarded-For unasked: anyone can send one. No
 * address known (an in-process request): not limited, as GoTrue without a header.
 */
export function rateLimitAddressOf(c: Context, header: string | undefined): string | undefined {
  if (header) return c.req.header(header)?.split(',')[0]?.trim() || undefined
  const socket = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming
    ?.socket
  return socket?.remoteAddress || undefined
}
