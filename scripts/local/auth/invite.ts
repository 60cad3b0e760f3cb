import { randomUUID } from 'node:crypto'
import type { Context } from 'hono'
import type { Transaction } from '../../../functions/db/database.ts'
import { requireAdminCredentials } from './admin.ts'
import { type LocalAuthContext, type LocalMail, readJsonObject, stringField } from './context.ts'
import { newOtp, referrerOf, tokenHashOf, validateEmail, verifyLink } from './email-links.ts'
import { AuthError, unprocessable } from './errors.ts'
import { findUserByEmail, findUserById, instanceId, userJson } from './users.ts'

/**
 * `POST /invite` `{ email, data? }`: GoTrue's Invite (internal/api/invite.go),
 * for the service role only. A new address gets a user without a password
 * (and its email identity); an address whose user never confirmed is invited
 * again; a confirmed one is 422 email_exists. The invite email is not sent
 * but handed to `auth.mail` (the stack prints it): its link signs the invitee
 * in at GET /verify, after which PUT /user sets their password.
 */
export async function invite(c: Context, auth: LocalAuthContext): Promise<Response> {
  await requireAdminCredentials(c, auth)
  const body = await readJsonObject(c)
  const email = validateEmail(stringField(body, 'email'))
  const data = body.data ?? {}
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new AuthError(400, 'bad_json', 'Could not parse request body as JSON: data must be an object')
  }
  const redirectTo = referrerOf(c, auth)
  const now = auth.clock()

  const { userId, mail } = await auth.db.transaction(async (tx) => {
    const existing = await findUserByEmail(tx, email, auth.audience)
    if (existing?.email_confirmed_at) {
      throw unprocessable('email_exists', 'A user with this email address has already been registered')
    }
    const id =
      existing?.id ?? (await createInvitedUser(tx, email, data as Record<string, unknown>, auth, now))
    // GoTrue's sendInvite: a fresh code, its hash on the user, the times stamped.
    const otp = newOtp()
    const tokenHash = tokenHashOf(email, otp)
    await tx.query(
      `update auth.users set confirmation_token = $2, confirmation_sent_at = $3, invited_at = $3, updated_at = $3
        where id = $1`,
      [id, tokenHash, now.toISOString()],
    )
    const message: LocalMail = {
      to: email,
      type: 'invite',
      link: verifyLink(auth, tokenHash, 'invite', redirectTo),
      otp,
    }
    return { userId: id, mail: message }
  })
  // Only once the invitation is stored, as a mail server would only see a committed one.
  auth.mail(mail)
  const user = await findUserById(auth.db, userId)
  if (!user) throw new Error('The invited user was not found after commit')
  return c.json(await userJson(auth.db, user), 200)
}

/** GoTrue's signupNewUser without a password, and the email identity createNewIdentity adds. */
async function createInvitedUser(
  tx: Transaction,
  email: string,
  data: Record<string, unknown>,
  auth: LocalAuthContext,
  now: Date,
): Promise<string> {
  const id = randomUUID()
  await tx.query(
    `insert into auth.users (instance_id, id, aud, role, email, encrypted_password, raw_app_meta_data,
                             raw_user_meta_data, created_at, updated_at, is_sso_user, is_anonymous)
     values ($1, $2, $3, 'authenticated', $4, '', $5::jsonb, $6::jsonb, $7, $7, false, false)`,
    [
      instanceId,
      id,
      auth.audience,
      email,
      JSON.stringify({ provider: 'email', providers: ['email'] }),
      JSON.stringify(data),
      now.toISOString(),
    ],
  )
  await tx.query(
    `insert into auth.identities (provider_id, user_id, identity_data, provider, created_at, updated_at)
     values ($1, $2, $3::jsonb, 'email', $4, $4)`,
    [
      id,
      id,
      JSON.stringify({ sub: id, email, email_verified: false, phone_verified: false }),
      now.toISOString(),
    ],
  )
  return id
}
