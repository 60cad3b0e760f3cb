import { type Accounts, generateAccounts } from './generate-accounts.ts'
import { generateChats } from './generate-chats.ts'
import { type CustomerBundle, generateCustomers } from './generate-customers.ts'
import { generatePhaseSettings } from './generate-value.ts'
import * as t from './tables.ts'

/** What `npm run db:seed` (and `npm start` on first run) loads: quick, and enough to show every feature. */
export const DEFAULT_CUSTOMERS = 120

export interface SeedPlan {
  /** Customers in total, spread evenly (round robin) over the organizations. */
  customers: number
  /**
   * Organizations in all, 3..100 (default 3: the demo ones). Beyond 3 come
   * generated ones (`org-4`, …), each with its own members: see generated-organizations.ts.
   */
  organizations?: number
  /** Customers per generated batch: bounds memory and the size of each insert. */
  batchCustomers?: number
}

export type AnyRowBatch = t.RowBatch<object>

export interface SeedData {
  /** Written first, with triggers on: auth.users' trigger creates each public.users profile. */
  accounts: AnyRowBatch[]
  /** Everything else, in foreign-key order, streamed batch by batch. */
  data: () => Generator<AnyRowBatch>
}

/** The whole demo data set, deterministic for a given plan. */
export function generateSeed(plan: SeedPlan): SeedData {
  const accounts = generateAccounts(plan.organizations)
  return {
    accounts: [
      { table: t.authUsers, rows: accounts.users },
      { table: t.authIdentities, rows: accounts.identities },
    ],
    data: () => generateData(plan, accounts),
  }
}

function* generateData(plan: SeedPlan, accounts: Accounts): Generator<AnyRowBatch> {
  yield { table: t.organizations, rows: accounts.organizations }
  yield { table: t.memberships, rows: accounts.memberships }
  yield {
    table: t.phaseSettings,
    rows: accounts.organizations.flatMap((org, n) => generatePhaseSettings(org.id, n, org.created_at)),
  }
  const batchCustomers = plan.batchCustomers ?? 500
  let batch: CustomerBundle[] = []
  for (const bundle of generateCustomers(plan.customers, accounts.people)) {
    batch.push(bundle)
    if (batch.length === batchCustomers) {
      yield* customerBatches(batch)
      batch = []
    }
  }
  if (batch.length > 0) yield* customerBatches(batch)
  const chats = generateChats(accounts.people)
  yield { table: t.chatSessions, rows: chats.sessions }
  yield { table: t.chatMessages, rows: chats.messages }
}

function* customerBatches(bundles: CustomerBundle[]): Generator<AnyRowBatch> {
  yield { table: t.customers, rows: bundles.map((b) => b.customer) }
  yield { table: t.contacts, rows: bundles.flatMap((b) => b.contacts) }
  yield { table: t.teams, rows: bundles.flatMap((b) => b.teams) }
  yield { table: t.processes, rows: bundles.flatMap((b) => b.processes) }
  yield { table: t.services, rows: bundles.flatMap((b) => b.services) }
  yield { table: t.documents, rows: bundles.flatMap((b) => b.documents) }
  yield { table: t.customerExternalIds, rows: bundles.flatMap((b) => b.externalIds) }
  yield { table: t.timelineEvents, rows: bundles.flatMap((b) => b.events) }
  yield { table: t.tasks, rows: bundles.flatMap((b) => b.tasks) }
  yield { table: t.notifications, rows: bundles.flatMap((b) => b.notifications) }
  yield { table: t.activities, rows: bundles.flatMap((b) => b.activities) }
}

/**
 * The fixed ids that say "this database is already seeded": the demo
 * organizations and accounts, which every seed writes whatever its organization count.
 */
export function seedMarkers(): { organizationIds: string[]; userIds: string[]; emails: string[] } {
  const accounts = generateAccounts()
  return {
    organizationIds: accounts.organizations.map((o) => o.id),
    userIds: accounts.users.map((u) => u.id),
    emails: accounts.users.map((u) => u.email),
  }
}
