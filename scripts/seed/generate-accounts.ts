import bcrypt from 'bcryptjs'
import type { MembershipRole } from '../../functions/domain/vocabulary.ts'
import { DEMO_PASSWORD, type DemoAccount, demoAccounts, demoOrganizations } from './demo-accounts.ts'
import {
  DEMO_ORGANIZATION_COUNT,
  type GeneratedAccount,
  generatedOrganizations,
} from './generated-organizations.ts'
import { seedUuid } from './ids.ts'
import { createFaker, DAY, HOUR, MINUTE } from './random.ts'
import type { AuthUserRow, IdentityRow, MembershipRow, OrganizationRow } from './tables.ts'

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

/**
 * The demo organizations and their accounts, then (when `organizationCount` > 3)
 * the generated ones of scripts/seed/generated-organizations.ts. The demo rows
 * come out the same whatever the count.
 */
export function generateAccounts(organizationCount = DEMO_ORGANIZATION_COUNT): Accounts {
  const faker = createFaker(0)
  const hash = demoPasswordHash()
  const users: AuthUserRow[] = []
  const identities: IdentityRow[] = []
  const extra = generatedOrganizations(organizationCount)
  const accountList: (DemoAccount | GeneratedAccount)[] = [
    ...demoAccounts,
    ...extra.flatMap((org) => org.accounts),
  ]
  accountList.forEach((account, n) => {
    const id = userId(account.email)
    // Generated accounts are ten seconds apart after the demo ones (up to ~800 of
    // them): all older than the organizations, which are older than the memberships.
    const age =
      n < demoAccounts.length
        ? accountAge - n * HOUR
        : accountAge - demoAccounts.length * HOUR - (n - demoAccounts.length) * 10
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
        display_name:
          'displayName' in account
            ? account.displayName
            : `${faker.person.firstName()} ${faker.person.lastName()}`,
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

  const people: OrganizationPeople[] = [...demoOrganizations, ...extra].map((org) => ({
    key: org.key,
    id: organizationId(org.key),
    name: org.name,
    members: accountList.flatMap((account) =>
      account.memberships
        .filter((m) => m.org === org.key)
        .map((m) => ({ id: userId(account.email), role: m.role })),
    ),
  }))
  const organizations = people.map((org, n) => {
    const owner = org.members.find((m) => m.role === 'owner')
    if (!owner) throw new Error(`Demo organization ${org.key} has no owner`)
    // The demo ones an hour apart, generated ones a minute apart after them (at most 97).
    const age =
      n < DEMO_ORGANIZATION_COUNT
        ? accountAge - DAY - n * HOUR
        : accountAge - DAY - DEMO_ORGANIZATION_COUNT * HOUR - (n - DEMO_ORGANIZATION_COUNT) * MINUTE
    return {
      id: org.id,
      name: org.name,
      created_by: owner.id,
      ...organizationMoney(n),
      created_at: age,
      updated_at: age,
    }
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

/**
 * Each organization's currency and default hourly rate: the demo ones in
 * euros, dollars and pounds, the generated ones round the list, so every
 * chart shows a currency of its own.
 */
function organizationMoney(n: number): { currency: string; default_hourly_rate: string } {
  const rates = [
    { currency: 'EUR', default_hourly_rate: '95.00' },
    { currency: 'USD', default_hourly_rate: '120.00' },
    { currency: 'GBP', default_hourly_rate: '85.00' },
    { currency: 'CHF', default_hourly_rate: '140.00' },
    { currency: 'SEK', default_hourly_rate: '1100.00' },
  ] as const
  return { ...(rates[n % rates.length] as (typeof rates)[number]) }
}
