import { beforeAll, describe, expect, it } from 'vitest'
import { tokenFor } from '../../../tests/support/api.ts'
import { createCustomer } from '../../../tests/support/fixtures.ts'
import { useApiFixture } from '../../../tests/support/use-api-fixture.ts'

describe('customers API', () => {
  const api = useApiFixture()
  // Set once the fixture's beforeAll has run (hooks run in the order they are registered).
  let { t, f, request, tokens } = api
  beforeAll(() => {
    ;({ t, f, request, tokens } = api)
  })

  it('should list the organization’s customers for a member', async () => {
    const res = await request('GET', `/orgs/${f.orgA}/customers`, { token: tokens.viewer })
    expect(res.status).toBe(200)
    expect(res.json.data.map((c: { id: string }) => c.id).sort()).toEqual(
      [f.customers.repOwned, f.customers.rep2Owned].sort(),
    )
    expect(res.json.data[0].external_ids).toHaveProperty('hubspot')
    expect(res.json.next_cursor).toBeNull()
  })

  it('should answer 404 to a member of another organization listing it', async () => {
    const res = await request('GET', `/orgs/${f.orgA}/customers`, { token: tokens.outsider })
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect(res.json).toMatchObject({ status: 404, code: 'not_found' })
    expect(res.json.request_id).toBe(res.headers.get('x-request-id'))
  })

  it('should answer 404 for a customer id guessed from another tenant', async () => {
    const res = await request('GET', `/customers/${f.customers.repOwned}`, { token: tokens.outsider })
    expect(res.status).toBe(404)
  })

  it('should return 401 with WWW-Authenticate without a token', async () => {
    const res = await request('GET', `/orgs/${f.orgA}/customers`)
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /)
    expect(res.json.code).toBe('unauthorized')
  })

  it('should refuse an expired token and one signed with another secret', async () => {
    const expired = await tokenFor(f.users.rep.id, { expiresIn: Math.floor(Date.now() / 1000) - 120 })
    expect((await request('GET', `/customers/${f.customers.repOwned}`, { token: expired })).json.detail).toBe(
      'The token has expired.',
    )
    const forged = await tokenFor(f.users.rep.id, { secret: 'another-secret-that-is-at-least-32-characters' })
    expect((await request('GET', `/customers/${f.customers.repOwned}`, { token: forged })).status).toBe(401)
    const wrongAudience = await tokenFor(f.users.rep.id, { audience: 'anon' })
    expect(
      (await request('GET', `/customers/${f.customers.repOwned}`, { token: wrongAudience })).status,
    ).toBe(401)
  })

  it('should create a customer owned by the rep who creates it', async () => {
    const res = await request('POST', `/orgs/${f.orgA}/customers`, {
      token: tokens.rep,
      body: { name: 'Initech', phase: 'qualified' },
    })
    expect(res.status).toBe(201)
    expect(res.json).toMatchObject({
      name: 'Initech',
      phase: 'qualified',
      owner_id: f.users.rep.id,
      org_id: f.orgA,
    })
    expect(res.headers.get('etag')).toMatch(/^"\d+"$/)
    expect(res.headers.get('location')).toBe(`/api/customers/${res.json.id}`)
  })

  it('should reject unknown and protected fields with the failing fields listed', async () => {
    const res = await request('POST', `/orgs/${f.orgA}/customers`, {
      token: tokens.manager,
      body: { name: 'X', org_id: f.orgB, id: f.customers.orgB, created_at: '2020-01-01T00:00:00Z' },
    })
    expect(res.status).toBe(400)
    expect(res.json.code).toBe('validation_failed')
    expect(res.json.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'body.created_at',
      'body.id',
      'body.org_id',
    ])
  })

  it('should answer 400 malformed_json to a body that is not JSON', async () => {
    const res = await request('POST', `/orgs/${f.orgA}/customers`, {
      token: tokens.manager,
      rawBody: '{"name":',
    })
    expect(res.status).toBe(400)
    expect(res.json.code).toBe('malformed_json')
  })

  it('should refuse a viewer’s create with 403 and write nothing', async () => {
    const before = await t.db.query('select count(*)::int as n from public.customers')
    const res = await request('POST', `/orgs/${f.orgA}/customers`, {
      token: tokens.viewer,
      body: { name: 'Nope' },
    })
    expect(res.status).toBe(403)
    expect(await t.db.query('select count(*)::int as n from public.customers')).toEqual(before)
  })

  it('should not let a rep edit another rep’s customer', async () => {
    const res = await request('PATCH', `/customers/${f.customers.rep2Owned}`, {
      token: tokens.rep,
      body: { phase: 'won' },
    })
    expect(res.status).toBe(403)
  })

  it('should refuse a stale If-Match with 412 and accept the current ETag', async () => {
    const id = await createCustomer(t.db, f.orgA, f.users.rep.id, 'Etag Ltd')
    const read = await request('GET', `/customers/${id}`, { token: tokens.rep })
    const etag = read.headers.get('etag') as string
    const first = await request('PATCH', `/customers/${id}`, {
      token: tokens.rep,
      body: { phase: 'proposal' },
      headers: { 'If-Match': etag },
    })
    expect(first.status).toBe(200)
    expect(first.headers.get('etag')).not.toBe(etag)
    const second = await request('PATCH', `/customers/${id}`, {
      token: tokens.manager,
      body: { phase: 'lost' },
      headers: { 'If-Match': etag },
    })
    expect(second.status).toBe(412)
    expect((await request('GET', `/customers/${id}`, { token: tokens.rep })).json.phase).toBe('proposal')
  })

  it('should carry the ETag as version in list rows, so a list can send If-Match without reading first', async () => {
    const id = await createCustomer(t.db, f.orgA, f.users.rep.id, 'Versioned Ltd')
    const list = await request('GET', `/orgs/${f.orgA}/customers?q=Versioned`, { token: tokens.rep })
    const row = list.json.data.find((c: { id: string }) => c.id === id)
    const read = await request('GET', `/customers/${id}`, { token: tokens.rep })
    expect(read.headers.get('etag')).toMatch(new RegExp(`^"${row.version}-[\\d.]+"$`))
    expect(read.json.version).toBe(row.version)
    const patched = await request('PATCH', `/customers/${id}`, {
      token: tokens.rep,
      body: { phase: 'qualified' },
      headers: { 'If-Match': `"${row.version}"` },
    })
    expect(patched.status).toBe(200)
    expect(`"${patched.json.version}"`).toBe(patched.headers.get('etag'))
    expect(patched.json.version).not.toBe(row.version)
  })

  it('should change the ETag of a customer read with counts when one of its records is added, and still accept it as If-Match', async () => {
    const id = await createCustomer(t.db, f.orgA, f.users.rep.id, 'Counted Ltd')
    const first = await request('GET', `/customers/${id}`, { token: tokens.rep })
    const etag = first.headers.get('etag') as string
    const unchanged = await request('GET', `/customers/${id}`, {
      token: tokens.rep,
      headers: { 'If-None-Match': etag },
    })
    expect(unchanged.status).toBe(304)
    await request('POST', `/customers/${id}/contacts`, {
      token: tokens.rep,
      body: { name: 'Counted Contact' },
    })
    const after = await request('GET', `/customers/${id}`, {
      token: tokens.rep,
      headers: { 'If-None-Match': etag },
    })
    expect(after.status).toBe(200)
    expect(after.json.counts.contacts).toBe(first.json.counts.contacts + 1)
    expect(after.json.version).toBe(first.json.version)
    const patched = await request('PATCH', `/customers/${id}`, {
      token: tokens.rep,
      body: { name: 'Counted Ltd (renamed)' },
      headers: { 'If-Match': etag },
    })
    expect(patched.status).toBe(200)
  })

  it('should replay a retried create with the same Idempotency-Key instead of duplicating it', async () => {
    const headers = { 'Idempotency-Key': `create-${Date.now()}` }
    const body = { name: 'Once Only Inc' }
    const first = await request('POST', `/orgs/${f.orgA}/customers`, { token: tokens.rep, body, headers })
    const again = await request('POST', `/orgs/${f.orgA}/customers`, { token: tokens.rep, body, headers })
    expect(again.status).toBe(201)
    expect(again.json.id).toBe(first.json.id)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    const rows = await t.db.query(`select id from public.customers where name = 'Once Only Inc'`)
    expect(rows).toHaveLength(1)
    const different = await request('POST', `/orgs/${f.orgA}/customers`, {
      token: tokens.rep,
      body: { name: 'Something else' },
      headers,
    })
    expect(different.status).toBe(422)
    expect(different.json.code).toBe('idempotency_key_reused')
  })

  it('should page through every customer exactly once while others are inserted', async () => {
    const org = f.orgB
    for (let i = 0; i < 25; i++)
      await createCustomer(t.db, org, f.users.outsider.id, `Paging ${String(i).padStart(2, '0')}`)
    const seen: string[] = []
    let cursor: string | null = null
    let inserted = 0
    do {
      const query: string = `?sort=name&limit=7${cursor ? `&cursor=${cursor}` : ''}`
      const res = await request('GET', `/orgs/${org}/customers${query}`, { token: tokens.outsider })
      expect(res.status).toBe(200)
      seen.push(...res.json.data.map((c: { name: string }) => c.name))
      cursor = res.json.next_cursor
      // A colleague adds customers sorting before and after the page boundary.
      await createCustomer(t.db, org, f.users.outsider.id, `AAA inserted ${inserted++}`)
    } while (cursor)
    const paging = seen.filter((n) => n.startsWith('Paging'))
    expect(paging).toEqual(Array.from({ length: 25 }, (_, i) => `Paging ${String(i).padStart(2, '0')}`))
    expect(new Set(seen).size).toBe(seen.length)
  })

  it('should page by updated_at without repeating or skipping rows that share a timestamp', async () => {
    // One transaction: every row gets the same created_at and updated_at (now()), so only the id breaks ties.
    const ids = await t.db.transaction(async (tx) => {
      const rows = await tx.query<{ id: string }>(
        `insert into public.customers (org_id, owner_id, name)
         select $1, $2, 'Same instant ' || n from generate_series(1, 12) n returning id`,
        [f.orgB, f.users.outsider.id],
      )
      return rows.map((r) => r.id)
    })
    for (const sort of ['-updated_at', 'updated_at', 'created_at']) {
      const seen: string[] = []
      let cursor: string | null = null
      do {
        const query: string = `?sort=${sort}&limit=5${cursor ? `&cursor=${cursor}` : ''}`
        const res = await request('GET', `/orgs/${f.orgB}/customers${query}`, { token: tokens.outsider })
        seen.push(...res.json.data.map((c: { id: string }) => c.id))
        cursor = res.json.next_cursor
      } while (cursor)
      expect(new Set(seen).size, sort).toBe(seen.length)
      expect(seen.filter((id) => ids.includes(id)).sort(), sort).toEqual([...ids].sort())
    }
  })

  it('should filter by phase and search by name', async () => {
    await createCustomer(t.db, f.orgA, f.users.manager.id, 'Umbrella Corp', 'negotiation')
    await createCustomer(t.db, f.orgA, f.users.manager.id, 'Umbrella Holdings', 'won')
    await createCustomer(t.db, f.orgA, f.users.manager.id, 'Umbrella Leads', 'lead')
    // Every phase named counts, not only the first; a phase not named does not.
    const res = await request('GET', `/orgs/${f.orgA}/customers?phase=negotiation,won&q=umbrel&sort=name`, {
      token: tokens.viewer,
    })
    expect(res.json.data.map((c: { name: string }) => c.name)).toEqual(['Umbrella Corp', 'Umbrella Holdings'])
    const reversed = await request(
      'GET',
      `/orgs/${f.orgA}/customers?phase=won,negotiation&q=umbrel&sort=name`,
      {
        token: tokens.viewer,
      },
    )
    expect(reversed.json.data.map((c: { name: string }) => c.name)).toEqual([
      'Umbrella Corp',
      'Umbrella Holdings',
    ])
    const single = await request('GET', `/orgs/${f.orgA}/customers?phase=negotiation`, {
      token: tokens.viewer,
    })
    expect(single.json.data.map((c: { name: string }) => c.name)).toEqual(['Umbrella Corp'])
    const bad = await request('GET', `/orgs/${f.orgA}/customers?phase=sleeping&limit=500`, {
      token: tokens.viewer,
    })
    expect(bad.status).toBe(400)
    expect(bad.json.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'query.limit',
      'query.phase.0',
    ])
  })

  it('should answer 400, not 500, to a NUL character Postgres cannot store, and write nothing', async () => {
    const res = await request('POST', `/orgs/${f.orgA}/customers`, {
      token: tokens.manager,
      body: { name: 'a\u0000b' },
    })
    expect(res.status).toBe(400)
    expect(res.json.code).toBe('validation_failed')
    const search = await request('GET', `/orgs/${f.orgA}/customers?q=%00`, { token: tokens.manager })
    expect(search.status).toBe(400)
  })

  it('should answer 400, not 500, to a well-formed cursor carrying a value Postgres refuses', async () => {
    const forged = (value: string, sort: string) =>
      Buffer.from(JSON.stringify([sort, value, '00000000-0000-0000-0000-000000000000'])).toString('base64url')
    for (const [sort, value] of [
      ['-created_at', '2020-01-01 10:00 Mars/Olympus'],
      ['name', 'a\u0000'],
    ] as const) {
      const res = await request(
        'GET',
        `/orgs/${f.orgA}/customers?sort=${sort}&cursor=${forged(value, sort)}`,
        {
          token: tokens.viewer,
        },
      )
      expect(res.status, sort).toBe(400)
    }
  })

  it('should answer 412, not 400, to an If-Match too long to be any ETag', async () => {
    const res = await request('PATCH', `/customers/${f.customers.repOwned}`, {
      token: tokens.rep,
      body: { phase: 'won' },
      headers: { 'If-Match': '"99999999999999999999"' },
    })
    expect(res.status).toBe(412)
  })

  it('should delete a customer its owner may write and 404 afterwards', async () => {
    const id = await createCustomer(t.db, f.orgA, f.users.rep.id, 'Short Lived')
    expect((await request('DELETE', `/customers/${id}`, { token: tokens.viewer })).status).toBe(403)
    expect((await request('DELETE', `/customers/${id}`, { token: tokens.rep })).status).toBe(204)
    expect((await request('GET', `/customers/${id}`, { token: tokens.rep })).status).toBe(404)
  })
})
