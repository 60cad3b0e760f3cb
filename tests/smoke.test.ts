import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { withUser } from '../functions/db/with-user.ts'
import { createFixture, type Fixture } from './support/fixtures.ts'
import { createTestDatabase, type TestDatabase } from './support/test-database.ts'

describe('test database', () => {
  let t: TestDatabase
  let f: Fixture
  beforeAll(async () => {
    t = await createTestDatabase()
    f = await createFixture(t.db)
  })
  afterAll(() => t.close())

  it('should show a rep only the customers of their own organization', async () => {
    const names = await withUser(t.db, { sub: f.users.rep.id }, (tx) =>
      tx.query<{ org_id: string }>('select org_id from public.customers'),
    )
    expect(names).toHaveLength(2)
    expect(new Set(names.map((n) => n.org_id))).toEqual(new Set([f.orgA]))
  })
})
