import { createHash, randomInt } from 'node:crypto'
import type { Context } from 'hono'
import type { LocalAuthContext } from './context.ts'
import { badRequest } from './errors.ts'

/** checkmail's format (GoTrue's validateEmail uses github.com/badoux/checkmail). */
const emailFormat =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/

/** GoTrue's validateEmail: required, at most 255 characters, checkmail's format; lower-cased. */
export function validateEmail(email: string): string {
  if (!email) throw badRequest('validation_failed', 'An email address is required')
  if (email.length > 255) throw badRequest('validation_failed', 'An email address is too long')
  if (!emailFormat.test(email)) {
    throw badRequest('validation_failed', 'Unable to validate email address: invalid format')
  }
  return email.toLowerCase()
}

/** GoTrue's GenerateOtp(6): six decimal digits, zero-padded. */
export const newOtp = () => String(randomInt(1_000_000)).padStart(6, '0')

/** GoTrue's GenerateTokenHash: hex SHA-224 of the address and the code. What a link carries and the row stores. */
export const tokenHashOf = (email: string, otp: string) =>
  createHash('sha224').update(`${email}${otp}`).digest('hex')

/**
 * GoTrue's GetReferrer: `redirect_to` when it is allowed (here: the stack's own
 * origin, GoTrue's SITE_URL host), otherwise the site URL.
 */
export function referrerOf(
  c: Context,
  auth: LocalAuthContext,
  requested = c.req.query('redirect_to'),
): string {
  if (requested) {
    try {
      if (new URL(requested).origin === new URL(auth.siteUrl).origin) return requested
    } catch {
      // Not a URL: the site URL, as GoTrue falls back.
    }
  }
  return auth.siteUrl
}

/**
 * The link of an email, as GoTrue's mailer builds it (getPath with
 * MAILER_URLPATHS_* = /verify, resolved against API_EXTERNAL_URL): the token
 * hash and type, and the redirect escaped only when it holds `&`, `=` or `#`.
 */
export function verifyLink(
  auth: LocalAuthContext,
  tokenHash: string,
  type: string,
  redirectTo: string,
): string {
  const redirect = /[&=#]/.test(redirectTo) ? encodeURIComponent(redirectTo) : redirectTo
  return `${auth.siteUrl}/auth/v1/verify?token=${encodeURIComponent(tokenHash)}&type=${encodeURIComponent(type)}&redirect_to=${redirect}`
}
