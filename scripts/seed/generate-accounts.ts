import bcrypt from 'bcryptjs'
import { DEMO_PASSWORD, demoAccounts, demoOrganizations } from './demo-accounts.ts'
import { seedUuid } from './ids.ts'
import { createFaker, DAY, HOUR } from './random.ts'
import type { AuthUserRow, IdentityRow, MembershipRow, OrganizationRow } from './tables.ts'
import type { MembershipRole } from './vocabulary.ts'

/**
 * bcrypt with a fixed salt: the hash (and so seed.sql) is the same on every run.
 * A per-user salt protects real passwords from precomputed tables; this one is
 * published in docs/seed.md anyway. `$2a$` and cost 10, as GoTrue writes them.
 */
const demoSalt = '$2a$10$SalesDashboardDemoSeed'

let cachedHash: string | undefined
/** Hashed once per process (about 0.1 s), then shared by every demo user. */
export function demoPasswordHash(): string {
  cachedHash ??= bcrypt.hashSync(DEMO_PASSWORD, demoSalt)
  return cachedHash
}

export const organizationId = (key: string) => seedUuid(`organization:${key}`)
export const userId = (email: string) => seedUuid(`user:${email}`)

/** Everyone who can act in one organization, by role; the customer generator picks owners from here. */
export interface OrganizationPeople {
  key: string
  id: string
  name: string
  members: { id: string; role: MembershipRole }[]
}

export interface Accounts {
  users: AuthUserRow[]
  identities: IdentityRow[]
  organizations: OrganizationRow[]
  memberships: MembershipRow[]
  people: OrganizationPeople[]
}

/** The team existed before its customers: accounts are about 200 days old. */
const accountAge = 200 * DAY

export function generateAccounts(): Accounts {
  const faker = createFaker(0)
  const hash = demoPasswordHash()
  const users: AuthUserRow[] = []
  const identities: IdentityRow[] = []
  demoAccounts.forEach((account, n) => {
    const id = userId(account.email)
    const age = accountAge - n * HOUR
    users.push({
      // GoTrue's single-tenant instance id and audience; without them sign-in finds no user.
      instance_id: '00000000-0000-0000-0000-000000000000',
      id,
      aud: 'authenticated',
      role: 'authenticated',
      email: account.email,
      encrypted_password: hash,
      email_confirmed_at: age,
      // GoTrue scans these into Go strings: NULL makes every sign-in fail with a 500.
      confirmation_token: '',
      recovery_token: '',
      email_change_token_new: '',
      email_change: '',
      raw_app_meta_data: { provider: 'email', providers: ['email'] },
      raw_user_meta_data: {
        display_name: `${faker.person.firstName()} ${faker.person.lastName()}`,
        username: account.username,
      },
      created_at: age,
      updated_at: age,
    })
    identities.push({
      id: seedUuid(`identity:${account.email}`),
      provider_id: id,
      user_id: id,
      identity_data: { sub: id, email: account.email, email_verified: true },
      provider: 'email',
      last_sign_in_at: age,
      created_at: age,
      updated_at: age,
    })
  })

  const people: OrganizationPeople[] = demoOrganizations.map((org) => ({
    key: org.key,
    id: organizationId(org.key),
    name: org.name,
    members: demoAccounts.flatMap((account) =>
      account.memberships
        .filter((m) => m.org === org.key)
        .map((m) => ({ id: userId(account.email), role: m.role })),
    ),
  }))
  const organizations = people.map((org, n) => {
    const owner = org.members.find((m) => m.role === 'owner')
    if (!owner) throw new Error(`Demo organization ${org.key} has no owner`)
    const age = accountAge - DAY - n * HOUR
    return { id: org.id, name: org.name, created_by: owner.id, created_at: age, updated_at: age }
  })
  const memberships = people.flatMap((org) =>
    org.members.map((m) => ({
      org_id: org.id,
      user_id: m.id,
      role: m.role,
      created_at: accountAge - 2 * DAY,
      updated_at: accountAge - 2 * DAY,
    })),
  )
  return { users, identities, organizations, memberships, people }
}
