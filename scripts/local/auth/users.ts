import type { Queryable } from '../../../functions/db/database.ts'

/** GoTrue's single-tenant instance id: it only finds users (and writes tokens) under this one. */
export const instanceId = '00000000-0000-0000-0000-000000000000'

/** The columns of auth.users that the sign-in checks and the user JSON need. */
export interface UserRow {
  id: string
  aud: string | null
  role: string | null
  email: string | null
  encrypted_password: string | null
  email_confirmed_at: Date | null
  invited_at: Date | null
  confirmation_sent_at: Date | null
  recovery_sent_at: Date | null
  email_change: string | null
  email_change_sent_at: Date | null
  phone: string | null
  phone_confirmed_at: Date | null
  last_sign_in_at: Date | null
  raw_app_meta_data: Record<string, unknown> | null
  raw_user_meta_data: Record<string, unknown> | null
  created_at: Date | null
  updated_at: Date | null
  banned_until: Date | null
  deleted_at: Date | null
  is_anonymous: boolean
}

interface IdentityRow {
  id: string
  provider_id: string
  user_id: string
  identity_data: Record<string, unknown> | null
  provider: string
  last_sign_in_at: Date | null
  created_at: Date | null
  updated_at: Date | null
}

const userColumns = `id, aud, role, email, encrypted_password, email_confirmed_at, invited_at,
  confirmation_sent_at, recovery_sent_at, email_change, email_change_sent_at, phone, phone_confirmed_at,
  last_sign_in_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at, banned_until, deleted_at,
  is_anonymous`

/**
 * GoTrue's FindUserByEmailAndAudience: this instance, the email compared in
 * lower case, the audience, no SSO users. A soft-deleted user is not found.
 */
export async function findUserByEmail(
  db: Queryable,
  email: string,
  aud: string,
): Promise<UserRow | undefined> {
  const [row] = await db.query<UserRow>(
    `select ${userColumns} from auth.users
      where instance_id = $1 and lower(email) = lower($2) and aud = $3 and is_sso_user = false
        and deleted_at is null`,
    [instanceId, email, aud],
  )
  return row
}

export async function findUserById(db: Queryable, id: string): Promise<UserRow | undefined> {
  const [row] = await db.query<UserRow>(
    `select ${userColumns} from auth.users where id = $1 and deleted_at is null`,
    [id],
  )
  return row
}

export const isBanned = (user: UserRow, now: Date) => user.banned_until !== null && now < user.banned_until

/**
 * A user as GoTrue serialises models.User: nulls for absent times are left
 * out (`omitempty`), email and phone are '' when absent, identities always an array.
 */
export async function userJson(db: Queryable, user: UserRow): Promise<Record<string, unknown>> {
  const identities = await db.query<IdentityRow>(
    `select id, provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at
       from auth.identities where user_id = $1 order by created_at, id`,
    [user.id],
  )
  return withoutNulls({
    id: user.id,
    aud: user.aud ?? '',
    role: user.role ?? '',
    email: user.email ?? '',
    email_confirmed_at: iso(user.email_confirmed_at),
    invited_at: iso(user.invited_at),
    phone: user.phone ?? '',
    phone_confirmed_at: iso(user.phone_confirmed_at),
    confirmation_sent_at: iso(user.confirmation_sent_at),
    // A generated column in GoTrue: the earlier of the two confirmations.
    confirmed_at: iso(earliest(user.email_confirmed_at, user.phone_confirmed_at)),
    recovery_sent_at: iso(user.recovery_sent_at),
    new_email: user.email_change || null,
    email_change_sent_at: iso(user.email_change_sent_at),
    last_sign_in_at: iso(user.last_sign_in_at),
    app_metadata: user.raw_app_meta_data ?? {},
    user_metadata: user.raw_user_meta_data ?? {},
    identities: identities.map((identity) =>
      withoutNulls({
        identity_id: identity.id,
        id: identity.provider_id,
        user_id: identity.user_id,
        identity_data: identity.identity_data,
        provider: identity.provider,
        last_sign_in_at: iso(identity.last_sign_in_at),
        created_at: iso(identity.created_at) ?? '',
        updated_at: iso(identity.updated_at) ?? '',
        email: emailOf(identity.identity_data),
      }),
    ),
    created_at: iso(user.created_at) ?? '',
    updated_at: iso(user.updated_at) ?? '',
    banned_until: iso(user.banned_until),
    is_anonymous: user.is_anonymous,
  })
}

/** GoTrue's generated identities.email column: lower(identity_data->>'email'). */
function emailOf(data: Record<string, unknown> | null): string | null {
  const email = data?.email
  return typeof email === 'string' && email ? email.toLowerCase() : null
}

function earliest(a: Date | null, b: Date | null): Date | null {
  if (a && b) return a < b ? a : b
  return a ?? b
}

const iso = (value: Date | string | null | undefined): string | null =>
  value == null ? null : new Date(value).toISOString()

function withoutNulls(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(record).filter(([, value]) => value !== null && value !== undefined),
  )
}
