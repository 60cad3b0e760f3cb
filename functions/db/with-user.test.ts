import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFixture, type Fixture } from '../../tests/support/fixtures.ts'
import { createTestDatabase, type TestDatabase } from '../../tests/support/test-database.ts'
import { type DatabaseRole, withDatabaseRole, withServiceRole, withUser } from './with-user.ts'

type Settings = { role: string; uid: string | null; timeout: string; app: string }
const readSettings = `
  select current_setting('role') as role, auth.uid()::text as uid,
         current_setting('statement_timeout') as timeout, current_setting('application_name') as app`

describe('withUser', () => {
  let t: TestDatabase
  let f: Fixture
  beforeAll(async () => {
    t = await createTestDatabase()
    f = await createFixture(t.db)
  })
  afterAll(() => t?.close())

  it('should switch role, claims, the role’s statement_timeout and the application name for one transaction only', async () => {
    const before = (await t.db.query<Settings>(readSettings))[0] as Settings
    const inside = await withUser(
      t.db,
      { sub: f.users.rep.id, role: 'service_role' },
      async (tx) => (await tx.query<Settings>(readSettings))[0],
      'sales-api 0f6c4e7e-3c1b-4a55-a0a5-6f2f3a4f8f7e',
    )
    expect(inside).toEqual({
      role: 'authenticated', // never the token's claim
      uid: f.users.rep.id,
      timeout: '8s', // supabase/migrations/20261125150000_api_statement_timeout.sql
      app: 'sales-api 0f6c4e7e-3c1b-4a55-a0a5-6f2f3a4f8f7e',
    })
    const after = (await t.db.query<Settings>(readSettings))[0] as Settings
    expect(after).toEqual({ ...before, uid: null })
  })

  it('should keep the connection’s application name when none is given, and no user for the service role', async () => {
    const [before] = await t.db.query<{ app: string }>(`select current_setting('application_name') as app`)
    const inside = await withServiceRole(t.db, async (tx) => (await tx.query<Settings>(readSettings))[0])
    expect(inside).toMatchObject({ role: 'service_role', uid: null, app: before?.app })
  })

  it('should report the set-up’s error and run nothing when the role switch fails, although fn’s first statement was already sent', async () => {
    const seen: unknown[] = []
    const run = withDatabaseRole(
      t.db,
      'no_such_role' as DatabaseRole,
      { sub: f.users.rep.id },
      async (tx) => {
        seen.push(...(await tx.query(`select current_user as login_role`)))
        return 'done'
      },
    )
    await expect(run).rejects.toThrow(/role "no_such_role" does not exist/)
    expect(seen).toEqual([])
  })
})
