import { randomBytes } from 'node:crypto'
import bcrypt from 'bcryptjs'
import type { Context } from 'hono'
import { accessTokenResponse } from './access-token-response.ts'
import { clientOf, type LocalAuthContext, readJsonObject, stringField } from './context.ts'
import { referrerOf, tokenHashOf, validateEmail } from './email-links.ts'
import { AuthError, badRequest, forbidden } from './errors.ts'
import { startSession } from './sessions.ts'
import { findUserById, isBanned, type UserRow } from './users.ts'

/** The types GoTrue verifies that this stand-in does not issue (no recovery, magic link or email change here). */
const unsupportedTypes = new Set(['recovery', 'magiclink', 'email_change', 'email'])

/** GoTrue's oauthErrorMap: the `error` of an error redirect. */
const oauthErrors: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthorized_client',
  403: 'access_denied',
  500: 'server_error',
  503: 'temporarily_unavailable',
}

/**
 * `GET /verify?token=…&type=invite&redirect_to=…` (the emailed link) and
 * `POST /verify` `{ type, token_hash }` or `{ type, token, email }`
 * (supabase-js `verifyOtp`): GoTrue's Verify for the confirmation token of an
 * invite (or a sign-up). The user's email is confirmed; an invited user
 * without a password gets a random one (GoTrue's signupVerify: the app then
 * asks for theirs, PUT /user); a session starts. GET answers 303 to the
 * redirect with the session in the fragment (the implicit flow), or the error
 * there; POST answers the session as JSON.
 */
export async function verify(c: Context, auth: LocalAuthContext): Promise<Response> {
  const get = c.req.method === 'GET'
  const params = get ? getParams(c, auth) : await postParams(c)
  try {
    const session = await auth.db.transaction(async (tx) => {
      const now = auth.clock()
      if (unsupportedTypes.has(params.type))
        throw badRequest('validation_failed', 'Unsupported verification type')
      if (params.type !== 'invite' && params.type !== 'signup') {
        throw badRequest('validation_failed', 'Invalid email verification type')
      }
      const [found] = await tx.query<{ id: string }>(
        `select id from auth.users
          where confirmation_token = $1 and confirmation_token <> '' and is_sso_user = false and deleted_at is null`,
        [params.tokenHash],
      )
      const user = found && (await findUserById(tx, found.id))
      if (!user) throw linkInvalid()
      if (isBanned(user, now)) throw forbidden('user_banned', 'User is banned')
      const sentAt = user.confirmation_sent_at ? new Date(user.confirmation_sent_at).getTime() : 0
      if (now.getTime() > sentAt + auth.emailLinkExpiresIn * 1000) throw linkInvalid()

      await confirm(tx, user, now)
      const confirmed = (await findUserById(tx, user.id)) as UserRow
      const { session, refreshToken } = await startSession(tx, user.id, clientOf(c), now)
      return accessTokenResponse(auth, tx, confirmed, session, refreshToken, now, 'otp')
    })
    if (!get) return c.json(session, 200)
    // GoTrue's AsRedirectURL: Go's url.Values.Encode, keys sorted.
    const fragment = encodeSorted({
      access_token: String(session.access_token),
      expires_at: String(session.expires_at),
      expires_in: String(session.expires_in),
      refresh_token: String(session.refresh_token),
      sb: '',
      token_type: String(session.token_type),
      type: params.type,
    })
    return c.redirect(`${params.redirectTo}#${fragment}`, 303)
  } catch (error) {
    if (!get || !(error instanceof AuthError)) throw error
    // GoTrue's prepErrorRedirectURL: the error goes to the app, in the fragment.
    const url = new URL(params.redirectTo)
    url.hash = encodeSorted({
      ...(oauthErrors[error.status] ? { error: oauthErrors[error.status] as string } : {}),
      error_code: error.code,
      error_description: error.message,
      sb: '',
    })
    return c.redirect(url.toString(), 303)
  }
}

const linkInvalid = () => forbidden('otp_expired', 'Email link is invalid or has expired')

interface VerifyParams {
  type: string
  tokenHash: string
  redirectTo: string
}

function getParams(c: Context, auth: LocalAuthContext): VerifyParams {
  const type = c.req.query('type') ?? ''
  const token = c.req.query('token') ?? ''
  if (!type) throw badRequest('validation_failed', 'Verify requires a verification type')
  if (!token) throw badRequest('validation_failed', 'Verify requires a token or a token hash')
  return { type, tokenHash: token, redirectTo: referrerOf(c, auth) }
}

async function postParams(c: Context): Promise<VerifyParams> {
  const body = await readJsonObject(c)
  const type = stringField(body, 'type')
  const token = stringField(body, 'token')
  const tokenHash = stringField(body, 'token_hash')
  const email = stringField(body, 'email')
  const phone = stringField(body, 'phone')
  if (!type) throw badRequest('validation_failed', 'Verify requires a verification type')
  if ((!token && !tokenHash) || (token && tokenHash)) {
    throw badRequest('validation_failed', 'Verify requires either a token or a token hash')
  }
  if (token) {
    if (!email || phone) {
      throw badRequest(
        'validation_failed',
        'Only an email address or phone number should be provided on verify',
      )
    }
    return { type, tokenHash: tokenHashOf(validateEmail(email), token), redirectTo: '' }
  }
  if (email || phone || stringField(body, 'redirect_to')) {
    throw badRequest('validation_failed', 'Only the token_hash and type should be provided')
  }
  return { type, tokenHash, redirectTo: '' }
}

/** GoTrue's signupVerify and User.Confirm: a password if an invitee has none, the email confirmed, the link spent. */
async function confirm(tx: Parameters<typeof startSession>[0], user: UserRow, now: Date) {
  if (!user.encrypted_password && user.invited_at) {
    const temporary = await bcrypt.hash(randomBytes(48).toString('base64url'), 10)
    await tx.query('update auth.users set encrypted_password = $2 where id = $1', [user.id, temporary])
  }
  await tx.query(
    `update auth.users
        set email_confirmed_at = $2, confirmation_token = '', updated_at = $2,
            raw_user_meta_data = coalesce(raw_user_meta_data, '{}'::jsonb) || '{"email_verified": true}'::jsonb
      where id = $1`,
    [user.id, now.toISOString()],
  )
  await tx.query(
    `update auth.identities
        set identity_data = identity_data || '{"email_verified": true}'::jsonb, updated_at = $3
      where user_id = $1 and provider = 'email' and lower(identity_data ->> 'email') = lower($2)`,
    [user.id, user.email ?? '', now.toISOString()],
  )
}

/** Go's url.Values.Encode: keys sorted, spaces as `+`. */
function encodeSorted(values: Record<string, string>): string {
  const params = new URLSearchParams()
  for (const key of Object.keys(values).sort()) params.set(key, values[key] as string)
  return params.toString()
}
