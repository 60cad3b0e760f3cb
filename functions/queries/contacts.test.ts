import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFixture, type Fixture } from '../../tests/support/fixtures.ts'
import { createTestDatabase, type TestDatabase } from '../../tests/support/test-database.ts'
import { withServiceRole, withUser } from '../db/with-user.ts'
import { createContacts, findContacts, updateContacts } from './contacts.ts'

describe('contact writes shared by the webhook pipeline and the importer', () => {
  let t: TestDatabase
  let f: Fixture
  const asOwner = <T>(fn: Parameters<typeof withUser<T>>[2]) => withUser(t.db, { sub: f.users.owner.id }, fn)
  const contact = async (id: string) => {
    const [row] = await t.db.query<{
      customer_id: string
      name: string
      email: string | null
      phone: string | null
    }>('select customer_id, name, email, phone from public.contacts where id = $1', [id])
    return row
  }

  beforeAll(async () => {
    t = await createTestDatabase()
    f = await createFixture(t.db)
  })
  afterAll(() => t.close())

  it('should change only the fields given, and with skipUnchanged leave a contact that would not change untouched', async () => {
    const [id] = await asOwner((tx) =>
      createContacts(tx, f.orgA, [
        {
          customerId: f.customers.repOwned,
          name: 'Ada',
          email: 'ada@a.example.com',
          phone: '+1 555',
          role: null,
        },
      ]),
    )
    if (!id) throw new Error('no contact created')
    const same = await asOwner((tx) =>
      updateContacts(tx, f.orgA, [{ id, name: 'Ada', email: 'ada@a.example.com' }], { skipUnchanged: true }),
    )
    expect(same).toEqual([])
    const changed = await asOwner((tx) =>
      updateContacts(tx, f.orgA, [{ id, name: 'Ada L.', email: null }], { skipUnchanged: true }),
    )
    expect(changed).toEqual([id])
    // The phone was not given: it stays.
    expect(await contact(id)).toMatchObject({ name: 'Ada L.', email: null, phone: '+1 555' })
  })

  it('should move a contact to another customer as the service role, which a signed-in caller may not', async () => {
    const [id] = await withServiceRole(t.db, (tx) =>
      createContacts(tx, f.orgA, [
        { customerId: f.customers.repOwned, name: 'Moving', email: null, phone: null, role: null },
      ]),
    )
    if (!id) throw new Error('no contact created')
    const move = { id, customerId: f.customers.rep2Owned, name: 'Moving' }
    // customer_id is not the caller's to change (column grants): 42501, so a change that does not move
    // a contact must not name the column at all, or every import of contacts would be refused.
    await expect(asOwner((tx) => updateContacts(tx, f.orgA, [move]))).rejects.toMatchObject({ code: '42501' })
    expect(await withServiceRole(t.db, (tx) => updateContacts(tx, f.orgA, [move]))).toEqual([id])
    expect((await contact(id))?.customer_id).toBe(f.customers.rep2Owned)
  })

  it('should find a contact by its email whatever the case, and by name only among contacts without email', async () => {
    const [withEmail, withoutEmail] = await asOwner((tx) =>
      createContacts(tx, f.orgA, [
        {
          customerId: f.customers.rep2Owned,
          name: 'Grace',
          email: 'Grace@A.example.com',
          phone: null,
          role: null,
        },
        { customerId: f.customers.rep2Owned, name: 'Linus', email: null, phone: null, role: null },
      ]),
    )
    const found = await asOwner((tx) =>
      findContacts(tx, f.orgA, [
        { i: 0, customerId: f.customers.rep2Owned, name: 'Someone else', email: 'grace@a.example.com' },
        { i: 1, customerId: f.customers.rep2Owned, name: 'Linus', email: null },
        { i: 2, customerId: f.customers.rep2Owned, name: 'Grace', email: null },
        { i: 3, customerId: f.customers.repOwned, name: 'Linus', email: null },
      ]),
    )
    expect(found).toEqual(
      new Map([
        [0, withEmail],
        [1, withoutEmail],
      ]),
    )
  })
})
