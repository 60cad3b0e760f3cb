import bcrypt from 'bcryptjs'
import type { Context } from 'hono'
import { accessTokenResponse } from './access-token-response.ts'
import { clientOf, type LocalAuthContext, readJsonObject, stringField } from './context.ts'
import { AuthError, badRequest, invalidCredentials } from './errors.ts'
import { startSession } from './sessions.ts'
import { findUserByEmail, isBanned } from './users.ts'

/**
 * A bcrypt hash (cost 10, as GoTrue writes them) of nothing anyone knows:
 * compared against when the email is unknown or has no password, so that
 * answer takes about as long as a wrong password and does not tell which
 * emails have accounts.
 */
const dummyHash = '$2b$10$8ETw6BX9/OcbhFAU8xXETe4odnUfuiBTn6JovDpnZ3dkdWhWCanhC'

/**
 * `POST /token?grant_type=password`: GoTrue's ResourceOwnerPasswordGrant for
 * email sign-in, checks in GoTrue's order (unknown or password-less user,
 * banned, password, confirmed email), then a new session.
 */
export async function passwordGrant(c: Context, auth: LocalAuthContext): Promise<Response> {
  const body = await readJsonObject(c)
  const email = stringField(body, 'email')
  const phone = stringField(body, 'phone')
  const password = stringField(body, 'password')

  if (email && phone) {
    throw badRequest(
      'validation_failed',
      'Only an email address or phone number should be provided on login.',
    )
  }
  if (phone) throw new AuthError(422, 'phone_provider_disabled', 'Phone logins are disabled')
  if (!email) throw badRequest('validation_failed', 'missing email or phone')
  // Every attempt counts, right or wrong: what holds a guesser who spreads over many addresses.
  auth.limits.email?.take(email.toLowerCase())

  const user = await findUserByEmail(auth.db, email, auth.audience)
  if (!user?.encrypted_password) {
    await bcrypt.compare(password, dummyHash)
    throw invalidCredentials()
  }
  const now = auth.clock()
  if (isBanned(user, now)) throw badRequest('user_banned', 'User is banned')
  if (!(await bcrypt.compare(password, user.encrypted_password))) throw invalidCredentials()
  if (!user.email_confirmed_at) throw badRequest('email_not_confirmed', 'Email not confirmed')

  const client = clientOf(c)
  const response = await auth.db.transaction(async (tx) => {
    const { session, refreshToken } = await startSession(tx, user.id, client, now)
    return accessTokenResponse(auth, tx, user, session, refreshToken, now)
  })
  return c.json(response, 200)
}
