import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../tests/support/test-database.ts'
import { DEFAULT_CUSTOMERS, generateSeed } from './generate.ts'
import { minEventsPerCustomer } from './generate-customers.ts'
import { seedDatabase } from './load.ts'

describe('seedDatabase with --scale', () => {
  const customers = 2_000
  let t: TestDatabase
  beforeAll(async () => {
    t = await createTestDatabase()
    // Small batches, so the streaming path (many batches per table) is what runs.
    await seedDatabase(t.db, { customers, batchCustomers: 300 })
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
