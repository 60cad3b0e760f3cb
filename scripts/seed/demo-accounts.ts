/**
 * The demo organizations and the people who sign in to them. Fixed by hand, not
 * by faker, so the emails stay memorable and the README, `npm start` and the
 * tests can name them. `npm start` prints `demoAccountList`.
 */
import type { MembershipRole } from '../../functions/domain/vocabulary.ts'

/** Documented in docs/seed.md; the same for every demo account. */
export const DEMO_PASSWORD = 'demo-password'

export interface DemoOrganization {
  /** Stable key, also the first part of every id derived for this org. */
  key: string
  name: string
  domain: string
}

export const demoOrganizations: readonly DemoOrganization[] = [
  { key: 'acme', name: 'Acme Corporation', domain: 'acme.example' },
  { key: 'globex', name: 'Globex', domain: 'globex.example' },
  { key: 'initech', name: 'Initech', domain: 'initech.example' },
]

export interface DemoMembership {
  org: string
  role: MembershipRole
}

export interface DemoAccount {
  email: string
  /** Also the username (must be unique; the email's local part repeats across orgs). */
  username: string
  memberships: readonly DemoMembership[]
}

/** One user of every role per org, a second rep (so customers have several owners). */
const perOrganization = ['owner', 'admin', 'manager', 'rep', 'rep2', 'viewer'] as const

export const demoAccounts: readonly DemoAccount[] = [
  ...demoOrganizations.flatMap((org) =>
    perOrganization.map((label) => ({
      email: `${label}@${org.domain}`,
      username: `${org.key}.${label}`,
      memberships: [{ org: org.key, role: label === 'rep2' ? 'rep' : label }] as DemoMembership[],
    })),
  ),
  // The org switcher needs someone in two organizations, with a different role in each.
  {
    email: 'multi@acme.example',
    username: 'acme.multi',
    memberships: [
      { org: 'acme', role: 'manager' },
      { org: 'globex', role: 'rep' },
    ],
  },
]

export interface DemoAccountListing {
  email: string
  password: string
  role: MembershipRole
  organization: string
}

/** One line per (account, organization): what a person needs to sign in and try a role. */
export const demoAccountList: readonly DemoAccountListing[] = demoAccounts.flatMap((account) =>
  account.memberships.map((m) => ({
    email: account.email,
    password: DEMO_PASSWORD,
    role: m.role,
    organization: organizationByKey(m.org).name,
  })),
)

export function organizationByKey(key: string): DemoOrganization {
  const org = demoOrganizations.find((o) => o.key === key)
  if (!org) throw new Error(`Unknown demo organization ${key}`)
  return org
}

/** A table for a terminal, e.g. printed by `npm start` and `npm run db:seed`. */
export function formatDemoAccounts(list: readonly DemoAccountListing[] = demoAccountList): string {
  const width = Math.max(...list.map((a) => a.email.length))
  const lines = list.map((a) => `  ${a.email.padEnd(width)}  ${a.role.padEnd(7)}  ${a.organization}`)
  return [`Demo accounts (password for all: ${DEMO_PASSWORD}):`, ...lines].join('\n')
}
