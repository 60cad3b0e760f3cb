import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { customerPhases, membershipRoles } from '../../functions/domain/vocabulary.ts'
import { createTestDatabase, type TestDatabase } from '../../tests/support/test-database.ts'
import { DEFAULT_CUSTOMERS, generateSeed, type SeedPlan, seedMarkers } from './generate.ts'
import { minEventsPerCustomer } from './generate-customers.ts'
import { findBrokenForeignKeys } from './integrity.ts'
import { isSeeded, type SeedResult, seedDatabase } from './load.ts'
import { parseOrganizations } from './options.ts'

describe('seedDatabase with --scale', () => {
  const customers = 900
  let t: TestDatabase
  beforeAll(async () => {
    t = await createTestDatabase()
    // Small batches, so the streaming path (many batches per table) is what runs.
    await seedDatabase(t.db, { customers, batchCustomers: 150 })
  })
  afterAll(() => t.close())

  it('should load the requested number of customers, with at least ten events each', async () => {
    const [row] = await t.db.query<{ customers: number; events: number; orgs: number }>(
      `select (select count(*) from public.customers)::int as customers,
              (select count(*) from public.timeline_events)::int as events,
              (select count(distinct org_id) from public.customers)::int as orgs`,
    )
    expect(row?.customers).toBe(customers)
    expect(row?.events).toBeGreaterThanOrEqual(customers * minEventsPerCustomer)
    expect(row?.orgs).toBe(3)
  })

  it('should start with the same customers as the default scale', async () => {
    const small = generateSeed({ customers: DEFAULT_CUSTOMERS }).data()
    const first = [...small].find((b) => b.table.name === 'public.customers')?.rows as {
      id: string
      name: string
    }[]
    const ids = first.map((c) => c.id)
    const rows = await t.db.query<{ id: string; name: string }>(
      'select id, name from public.customers where id = any($1::text[]::uuid[])',
      [ids],
    )
    expect(new Map(rows.map((r) => [r.id, r.name]))).toEqual(new Map(first.map((c) => [c.id, c.name])))
  })
})

type Row = Record<string, unknown>

/** Every row a plan generates, table by table. */
function generatedRows(plan: SeedPlan): Map<string, Row[]> {
  const seed = generateSeed(plan)
  const tables = new Map<string, Row[]>()
  for (const batch of [...seed.accounts, ...seed.data()]) {
    const rows = tables.get(batch.table.name) ?? []
    rows.push(...(batch.rows as Row[]))
    tables.set(batch.table.name, rows)
  }
  return tables
}

const customersPerOrg = (rows: Map<string, Row[]>) => {
  const counts = new Map<unknown, number>()
  for (const c of rows.get('public.customers') ?? []) counts.set(c.org_id, (counts.get(c.org_id) ?? 0) + 1)
  return counts
}

describe('generateSeed with organizations', () => {
  const plan = { customers: 1_003, organizations: 10, batchCustomers: 200 }
  const rows = generatedRows(plan)

  it('should give the same rows on every run', () => {
    expect(generatedRows(plan)).toEqual(rows)
  })

  it('should leave the default seed as it was, demo organizations first and unchanged', () => {
    const byDefault = generatedRows({ customers: DEFAULT_CUSTOMERS })
    expect(generatedRows({ customers: DEFAULT_CUSTOMERS, organizations: 3 })).toEqual(byDefault)
    for (const table of ['auth.users', 'auth.identities', 'public.organizations', 'public.memberships']) {
      const demo = byDefault.get(table) ?? []
      expect(rows.get(table)?.slice(0, demo.length), table).toEqual(demo)
    }
    expect(seedMarkers().organizationIds).toEqual(
      (byDefault.get('public.organizations') ?? []).map((o) => o.id),
    )
  })

  it('should make organization n the same whatever the count', () => {
    const five = generatedRows({ customers: 0, organizations: 5 })
    for (const table of ['auth.users', 'public.organizations', 'public.memberships']) {
      const fewer = five.get(table) ?? []
      expect(rows.get(table)?.slice(0, fewer.length), table).toEqual(fewer)
    }
  })

  it('should give every organization an owner, admin, manager, 2–3 reps and a viewer', () => {
    const orgs = rows.get('public.organizations') ?? []
    expect(orgs).toHaveLength(10)
    expect(new Set(orgs.map((o) => o.id)).size).toBe(10)
    const users = new Map((rows.get('auth.users') ?? []).map((u) => [u.id, u.email as string]))
    expect(new Set(users.values()).size).toBe(users.size)
    expect(users.get(orgs[3]?.created_by)).toBe('member-4-owner@org-4.example')
    for (const org of orgs.slice(3)) {
      const roles = (rows.get('public.memberships') ?? [])
        .filter((m) => m.org_id === org.id)
        .map((m) => m.role)
      expect(roles.filter((r) => r !== 'rep')).toEqual(['owner', 'admin', 'manager', 'viewer'])
      expect(roles.filter((r) => r === 'rep').length).toBeGreaterThanOrEqual(2)
      expect(roles.filter((r) => r === 'rep').length).toBeLessThanOrEqual(3)
      const [owner] = (rows.get('public.memberships') ?? []).filter((m) => m.org_id === org.id)
      expect(owner?.user_id).toBe(org.created_by)
    }
  })

  it('should give every customer (and chat) an owner who is a member of its organization', () => {
    const members = new Set((rows.get('public.memberships') ?? []).map((m) => `${m.org_id}|${m.user_id}`))
    const customers = rows.get('public.customers') ?? []
    const strangers = customers.filter(
      (c) => c.owner_id !== null && !members.has(`${c.org_id}|${c.owner_id}`),
    )
    expect(strangers).toEqual([])
    expect(customers.filter((c) => c.owner_id !== null).length).toBeGreaterThan(customers.length * 0.8)
    const chats = rows.get('public.chat_sessions') ?? []
    expect(chats.filter((s) => !members.has(`${s.org_id}|${s.user_id}`))).toEqual([])
  })

  it('should spread the customers evenly over all the organizations', () => {
    const counts = [...customersPerOrg(rows).values()]
    expect(counts).toHaveLength(10)
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1)
  })

  it('should refuse a count outside 3..100', () => {
    for (const organizations of [0, 2, 3.5, 101, Number.NaN])
      expect(() => generateSeed({ customers: 1, organizations }), String(organizations)).toThrow(RangeError)
    for (const text of ['2', '101', '3.5', 'ten', '', '-4'])
      expect(() => parseOrganizations(text), text).toThrow(/--organizations must be a whole number/)
    expect([parseOrganizations('3'), parseOrganizations('10'), parseOrganizations('100')]).toEqual([
      3, 10, 100,
    ])
  })
})

describe('seedDatabase with organizations', () => {
  const customers = 400
  let t: TestDatabase
  let result: SeedResult
  beforeAll(async () => {
    t = await createTestDatabase()
    result = await seedDatabase(t.db, { customers, organizations: 10, batchCustomers: 150 })
  })
  afterAll(() => t.close())

  it('should load ten organizations with every role and an even share of customers in all phases', async () => {
    expect(result.status).toBe('seeded')
    const rows = await t.db.query<{ roles: string[]; customers: number; phases: number }>(
      `select (select array_agg(distinct m.role::text order by m.role::text) from public.memberships m
                where m.org_id = o.id) as roles,
              count(c.id)::int as customers, count(distinct c.phase)::int as phases
         from public.organizations o left join public.customers c on c.org_id = o.id group by o.id`,
    )
    expect(rows).toHaveLength(10)
    for (const row of rows) {
      expect(row.roles).toEqual([...membershipRoles].sort())
      expect(row.customers).toBe(customers / 10)
      expect(row.phases).toBe(customerPhases.length)
    }
  })

  it('should keep every foreign key: owners are members of the customer’s organization', async () => {
    expect(await findBrokenForeignKeys(t.db)).toEqual([])
    const [row] = await t.db.query<{ n: number }>(
      `select count(*)::int as n from public.customers c where c.owner_id is not null and not exists
         (select from public.memberships m where m.org_id = c.org_id and m.user_id = c.owner_id)`,
    )
    expect(row?.n).toBe(0)
  })

  it('should give generated members the usernames it chose, and count as seeded', async () => {
    const [user] = await t.db.query<{ username: string }>(
      `select username from public.users where email = 'member-4-rep-1@org-4.example'`,
    )
    expect(user?.username).toBe('org-4.rep-1')
    expect(await isSeeded(t.db)).toBe(true)
    expect(await seedDatabase(t.db, { customers, organizations: 10 })).toEqual({ status: 'already-seeded' })
    expect(await seedDatabase(t.db, { customers })).toEqual({ status: 'already-seeded' })
  })
})
