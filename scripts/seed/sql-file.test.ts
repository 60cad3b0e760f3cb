import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../tests/support/test-database.ts'
import { DEFAULT_CUSTOMERS, generateSeed } from './generate.ts'
import { isSeeded } from './load.ts'
import { renderSeedSql, seedSqlPath } from './sql-file.ts'

describe('supabase/seed.sql', () => {
  let committed: string
  let t: TestDatabase
  beforeAll(async () => {
    committed = await readFile(seedSqlPath, 'utf8')
    t = await createTestDatabase()
  })
  afterAll(() => t.close())

  it('should be up to date with the generator (npm run db:seed -- --write-sql supabase/seed.sql)', () => {
    // Compared as a boolean: a diff of two 800 kB strings helps nobody; regenerate instead.
    expect(renderSeedSql() === committed).toBe(true)
  })

  it('should load into a freshly migrated database and hold what db:seed loads', async () => {
    await t.db.execScript(committed)
    expect(await isSeeded(t.db)).toBe(true)
    const generated = [...generateSeed({ customers: DEFAULT_CUSTOMERS }).data()]
    const expected = (table: string) =>
      generated.filter((b) => b.table.name === table).reduce((n, b) => n + b.rows.length, 0)
    const [row] = await t.db.query<Record<string, number>>(
      `select (select count(*) from public.customers)::int as customers,
              (select count(*) from public.timeline_events)::int as events,
              (select count(*) from public.documents)::int as documents,
              (select count(*) from public.users)::int as profiles,
              (select count(*) from public.chat_messages)::int as messages`,
    )
    expect(row).toEqual({
      customers: DEFAULT_CUSTOMERS,
      events: expected('public.timeline_events'),
      documents: expected('public.documents'),
      profiles: generateSeed({ customers: 0 }).accounts[0]?.rows.length,
      messages: expected('public.chat_messages'),
    })
    // The session setting the script turns on does not outlive it.
    const [role] = await t.db.query<{ role: string }>(
      `select current_setting('session_replication_role') as role`,
    )
    expect(role?.role).toBe('origin')
  })
})
