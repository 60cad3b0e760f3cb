import { Buffer } from 'node:buffer'
import { beforeAll, describe, expect, it } from 'vitest'
import { addMember, createCustomer, createOrganization } from '../../../tests/support/fixtures.ts'
import { failingFields, useApiFixture } from '../../../tests/support/use-api-fixture.ts'

/**
 * The customers API at its edges: each test here holds a behaviour the
 * mutation run (npm run test:mutation) found no test holding.
 */
describe('customers API edges', () => {
  const api = useApiFixture()
  let { t, f, request, tokens } = api
  beforeAll(() => {
    ;({ t, f, request, tokens } = api)
  })

  const ids = (res: { json: { data: { id: string }[] } }) => res.json.data.map((c) => c.id).sort()

  it('should list only the organization named, for a member of two', async () => {
    const second = await createOrganization(t.db, 'Second org of the rep')
    await addMember(t.db, second, f.users.rep.id, 'rep')
    const other = await createCustomer(t.db, second, f.users.rep.id, 'Only in the second org')
    const first = await request('GET', `/orgs/${f.orgA}/customers`, { token: tokens.rep })
    expect(first.status).toBe(200)
    expect(ids(first)).not.toContain(other)
    expect(ids(first).length).toBeGreaterThan(0)
    expect(ids(await request('GET', `/orgs/${second}/customers`, { token: tokens.rep }))).toEqual([other])
  })

  it('should filter by owner and by last change, each alone and together', async () => {
    const everyone = ids(
      await request('GET', `/orgs/${f.orgA}/customers?limit=100`, { token: tokens.viewer }),
    )
    const owned = ids(
      await request('GET', `/orgs/${f.orgA}/customers?owner_id=${f.users.rep2.id}`, { token: tokens.viewer }),
    )
    expect(owned).toEqual([f.customers.rep2Owned])
    expect(everyone.length).toBeGreaterThan(owned.length)

    // Every fixture row was written before this instant; then one customer changes through the API.
    const [{ since } = { since: '' }] = await t.db.query<{ since: string }>(
      `select to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as since`,
    )
    await new Promise((resolve) => setTimeout(resolve, 5))
    const patched = await request('PATCH', `/customers/${f.customers.repOwned}`, {
      token: tokens.rep,
      body: { name: 'Changed since' },
    })
    expect(patched.status).toBe(200)
    const changed = await request('GET', `/orgs/${f.orgA}/customers?updated_since=${since}`, {
      token: tokens.viewer,
    })
    expect(changed.status).toBe(200)
    expect(ids(changed)).toEqual([f.customers.repOwned])
    const both = await request(
      'GET',
      `/orgs/${f.orgA}/customers?updated_since=${since}&owner_id=${f.users.rep2.id}`,
      { token: tokens.viewer },
    )
    expect(ids(both)).toEqual([])
  })

  it('should give no next cursor when the last page is exactly full', async () => {
    const all = ids(await request('GET', `/orgs/${f.orgA}/customers?limit=100`, { token: tokens.viewer }))
    const page = await request('GET', `/orgs/${f.orgA}/customers?limit=${all.length}`, {
      token: tokens.viewer,
    })
    expect(page.json.data).toHaveLength(all.length)
    expect(page.json.next_cursor).toBeNull()
    const short = await request('GET', `/orgs/${f.orgA}/customers?limit=${all.length - 1}`, {
      token: tokens.viewer,
    })
    expect(short.json.next_cursor).toEqual(expect.any(String))
  })

  it('should refuse a cursor whose id is not a uuid, or whose value is neither text nor null, naming the cursor', async () => {
    const cursor = (parts: unknown[]) => Buffer.from(JSON.stringify(parts)).toString('base64url')
    const uuid = f.customers.repOwned
    for (const bad of [
      cursor(['-updated_at', 'x', `${uuid}0`]),
      cursor(['-updated_at', 'x', `0${uuid}`]),
      cursor(['-updated_at', 'x', 42]),
      cursor(['-updated_at', 42, uuid]),
      cursor(['name', 'x', uuid]),
    ]) {
      const res = await request('GET', `/orgs/${f.orgA}/customers?cursor=${bad}`, { token: tokens.viewer })
      expect(res.status).toBe(400)
      expect(res.json.detail).toBe('The cursor is not valid for this list and sort.')
      expect(res.json.errors).toEqual([
        { field: 'query.cursor', message: 'is not a cursor this list returned' },
      ])
    }
    const good = await request(
      'GET',
      `/orgs/${f.orgA}/customers?cursor=${cursor(['-updated_at', null, uuid])}`,
      {
        token: tokens.viewer,
      },
    )
    expect(good.status).toBe(200)
  })

  it('should refuse an empty change with a 400 that says what to send', async () => {
    const res = await request('PATCH', `/customers/${f.customers.repOwned}`, { token: tokens.rep, body: {} })
    expect(res.status).toBe(400)
    expect(res.json.errors).toEqual([
      expect.objectContaining({ message: 'send at least one field to change' }),
    ])
  })

  it('should name each unknown field as one you cannot set', async () => {
    const res = await request('PATCH', `/customers/${f.customers.repOwned}`, {
      token: tokens.rep,
      body: { name: 'X', colour: 'red' },
    })
    expect(res.status).toBe(400)
    expect(res.json.errors).toEqual([{ field: 'body.colour', message: 'is not a field you can set' }])
  })

  it('should take If-Match * and a tag with spaces around it, and refuse a weak or padded tag with 412', async () => {
    const path = `/customers/${f.customers.repOwned}`
    const star = await request('PATCH', path, {
      token: tokens.rep,
      body: { name: 'Star' },
      headers: { 'If-Match': '*' },
    })
    expect(star.status).toBe(200)
    const etag = star.headers.get('etag') as string
    const spaced = await request('PATCH', path, {
      token: tokens.rep,
      body: { name: 'Spaced' },
      headers: { 'If-Match': `  ${etag}  ` },
    })
    expect(spaced.status).toBe(200)
    const current = spaced.headers.get('etag') as string
    for (const header of [`W/${current}`, `x${current}`, `${current}x`]) {
      const res = await request('PATCH', path, {
        token: tokens.rep,
        body: { name: 'No' },
        headers: { 'If-Match': header },
      })
      expect(res.status, header).toBe(412)
    }
  })

  it('should say which customer is missing, and never let a cache keep a read', async () => {
    const missing = await request('GET', `/customers/${crypto.randomUUID()}`, { token: tokens.viewer })
    expect(missing.status).toBe(404)
    expect(missing.json.detail).toMatch(/customer/)
    const found = await request('GET', `/customers/${f.customers.repOwned}`, { token: tokens.viewer })
    expect(found.headers.get('cache-control')).toBe('private, no-cache')
  })

  it('should delete with a stale If-Match refused by 412 and the customer kept', async () => {
    const id = await createCustomer(t.db, f.orgA, f.users.rep.id, 'Kept by its version')
    const res = await request('DELETE', `/customers/${id}`, {
      token: tokens.rep,
      headers: { 'If-Match': '"1"' },
    })
    expect(res.status).toBe(412)
    expect((await request('GET', `/customers/${id}`, { token: tokens.rep })).status).toBe(200)
  })

  describe('Idempotency-Key', () => {
    const create = (key: string, name: string) =>
      request('POST', `/orgs/${f.orgA}/customers`, {
        token: tokens.rep,
        body: { name },
        headers: { 'Idempotency-Key': key },
      })

    it('should mark only a replay as replayed, with the first answer’s headers', async () => {
      const key = `edge-${crypto.randomUUID()}`
      const first = await create(key, 'Idem first')
      expect(first.status).toBe(201)
      expect(first.headers.get('idempotent-replayed')).toBeNull()
      const again = await create(key, 'Idem first')
      expect(again.status).toBe(201)
      expect(again.headers.get('idempotent-replayed')).toBe('true')
      expect(again.headers.get('location')).toBe(first.headers.get('location'))
      expect(again.json).toEqual(first.json)
      const plain = await request('POST', `/orgs/${f.orgA}/customers`, {
        token: tokens.rep,
        body: { name: 'No key' },
      })
      expect(plain.headers.get('idempotent-replayed')).toBeNull()
    })

    it('should refuse a key reused for another request with 422, creating nothing', async () => {
      const key = `edge-${crypto.randomUUID()}`
      await create(key, 'Idem original')
      const res = await create(key, 'Idem different')
      expect(res.status).toBe(422)
      expect(res.json).toMatchObject({
        code: 'idempotency_key_reused',
        title: 'Idempotency-Key already used',
        detail: 'This key was used for a different request; use a new key for a new request.',
      })
      const rows = await t.db.query(`select 1 from public.customers where name = 'Idem different'`)
      expect(rows).toHaveLength(0)
    })

    it('should refuse a malformed key with a 400 naming the header, creating nothing', async () => {
      for (const key of ['short', 'has space in it', 'x'.repeat(256)]) {
        const res = await create(key, `Idem bad ${key.length}`)
        expect(res.status, key).toBe(400)
        expect(failingFields(res)).toEqual(['header.Idempotency-Key'])
        expect(res.json.errors[0].message).toBe('has the wrong format')
      }
      const rows = await t.db.query(`select 1 from public.customers where name like 'Idem bad %'`)
      expect(rows).toHaveLength(0)
    })
  })
})
