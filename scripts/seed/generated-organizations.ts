/**
 * Organizations beyond the three demo ones, for `--organizations N` (benchmarks
 * want many tenants: issue #10 asks for 100,000 customers in 10). Generated,
 * not hand-written: organization n (4, 5, …) is keyed `org-n`, named by faker
 * reseeded for that n, so it is the same organization whatever N asks for, and
 * the demo organizations and their accounts do not change at all.
 */

import type { MembershipRole } from '../../functions/domain/vocabulary.ts'
import type { DemoAccount, DemoOrganization } from './demo-accounts.ts'
import { demoOrganizations } from './demo-accounts.ts'
import { createFaker } from './random.ts'

/** The default: the demo organizations only. */
export const DEMO_ORGANIZATION_COUNT = demoOrganizations.length
export const MAX_ORGANIZATIONS = 100

export interface GeneratedAccount extends DemoAccount {
  /** Chosen with the organization's own faker, so it does not depend on how many orgs come before. */
  displayName: string
}

export interface GeneratedOrganization extends DemoOrganization {
  accounts: GeneratedAccount[]
}

/** Throws unless `total` is a whole number of organizations the seed can make (3..100). */
export function checkOrganizationCount(total: number): void {
  if (!Number.isInteger(total) || total < DEMO_ORGANIZATION_COUNT || total > MAX_ORGANIZATIONS) {
    throw new RangeError(
      `organizations must be a whole number between ${DEMO_ORGANIZATION_COUNT} and ${MAX_ORGANIZATIONS}, not ${total}`,
    )
  }
}

/** Organizations 4..total, each with an owner, an admin, a manager, 2–3 reps and a viewer. */
export function generatedOrganizations(total: number): GeneratedOrganization[] {
  checkOrganizationCount(total)
  const orgs: GeneratedOrganization[] = []
  for (let n = DEMO_ORGANIZATION_COUNT + 1; n <= total; n++) orgs.push(generatedOrganization(n))
  return orgs
}

function generatedOrganization(n: number): GeneratedOrganization {
  const faker = createFaker(3, n)
  const key = `org-${n}`
  const domain = `${key}.example`
  const name = faker.company.name()
  const reps = faker.number.int({ min: 2, max: 3 })
  const members: { label: string; role: MembershipRole }[] = [
    { label: 'owner', role: 'owner' },
    { label: 'admin', role: 'admin' },
    { label: 'manager', role: 'manager' },
    ...Array.from({ length: reps }, (_, k) => ({ label: `rep-${k + 1}`, role: 'rep' as const })),
    { label: 'viewer', role: 'viewer' },
  ]
  return {
    key,
    name,
    domain,
    accounts: members.map(({ label, role }) => ({
      email: `member-${n}-${label}@${domain}`,
      username: `${key}.${label}`,
      memberships: [{ org: key, role }],
      displayName: `${faker.person.firstName()} ${faker.person.lastName()}`,
    })),
  }
}
