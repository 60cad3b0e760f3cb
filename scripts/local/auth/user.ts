import bcrypt from 'bcryptjs'
import type { Context } from 'hono'
import { authenticate } from './authenticate.ts'
import { type LocalAuthContext, readJsonObject } from './context.ts'
import { AuthError, badRequest, unprocessable } from './errors.ts'
import { findUserById, userJson } from './users.ts'

/** `GET /user`: GoTrue's UserGet, the signed-in user as the token's audience sees it. */
export async function getUser(c: Context, auth: LocalAuthContext): Promise<Response> {
  const { claims, user } = await authenticate(c, auth)
  const audience = Array.isArray(claims.aud) ? claims.aud[0] : claims.aud
  if (audience !== auth.audience) {
    throw badRequest('validation_failed', "Token audience doesn't match request audience")
  }
  return c.json(await userJson(auth.db, user), 200)
}

/** GoTrue's defaults: PASSWORD_MIN_LENGTH 6; bcrypt reads at most 72 bytes (MaxPasswordLength). */
const minPasswordLength = 6
const maxPasswordLength = 72

/**
 * `PUT /user` `{ password?, data? }`: GoTrue's UserUpdate for what the product
 * needs, an invitee choosing their password after the invite link signed them
 * in (supabase-js `updateUser`). A new password ends the user's other
 * sessions (GoTrue's UpdatePassword) and spends any emailed link; `data` is
 * merged into user_metadata (a null value removes its key). Changing the email
 * or phone is not supported here.
 */
export async function updateUser(c: Context, auth: LocalAuthContext): Promise<Response> {
  const { user, session } = await authenticate(c, auth)
  const body = await readJsonObject(c)
  const password = body.password
  const data = body.data
  if (password !== undefined && password !== null && typeof password !== 'string') {
    throw new AuthError(400, 'bad_json', 'Could not parse request body as JSON: password must be a string')
  }
  if (data !== undefined && data !== null && (typeof data !== 'object' || Array.isArray(data))) {
    throw new AuthError(400, 'bad_json', 'Could not parse request body as JSON: data must be an object')
  }
  for (const field of ['email', 'phone'] as const) {
    const value = body[field]
    if (typeof value === 'string' && value !== '' && value !== user[field]) {
      throw unprocessable('validation_failed', `Changing the ${field} is not supported by the local auth`)
    }
  }

  let hash: string | undefined
  if (typeof password === 'string') {
    checkPasswordStrength(password)
    if (user.encrypted_password && (await bcrypt.compare(password, user.encrypted_password))) {
      throw unprocessable('same_password', 'New password should be different from the old password.')
    }
    hash = await bcrypt.hash(password, 10)
  }

  const now = auth.clock().toISOString()
  await auth.db.transaction(async (tx) => {
    if (hash) {
      await tx.query(
        `update auth.users
            set encrypted_password = $2, confirmation_token = '', confirmation_sent_at = null,
                recovery_token = '', recovery_sent_at = null, updated_at = $3
          where id = $1`,
        [user.id, hash, now],
      )
      // Everyone holding the old password's sessions signs in again; this one stays.
      await tx.query('delete from auth.sessions where user_id = $1 and id is distinct from $2', [
        user.id,
        session?.id ?? null,
      ])
    }
    if (data) {
      const entries = Object.entries(data)
      await tx.query(
        `update auth.users
            set raw_user_meta_data = (coalesce(raw_user_meta_data, '{}'::jsonb)
                                      - array(select jsonb_array_elements_text($2::jsonb))) || $3::jsonb,
                updated_at = $4
          where id = $1`,
        [
          user.id,
          JSON.stringify(entries.filter(([, value]) => value === null).map(([key]) => key)),
          JSON.stringify(Object.fromEntries(entries.filter(([, value]) => value !== null))),
          now,
        ],
      )
    }
  })
  const updated = await findUserById(auth.db, user.id)
  if (!updated) throw new Error('The user vanished while being updated')
  return c.json(await userJson(auth.db, updated), 200)
}

/** GoTrue's checkPasswordStrength with its default configuration (length only). */
function checkPasswordStrength(password: string) {
  if (password.length > maxPasswordLength) {
    throw badRequest('validation_failed', `Password cannot be longer than ${maxPasswordLength} characters`)
  }
  if (password.length < minPasswordLength) {
    throw new AuthError(
      422,
      'weak_password',
      `Password should be at least ${minPasswordLength} characters.`,
      {
        weak_password: { reasons: ['length'] },
      },
    )
  }
}
