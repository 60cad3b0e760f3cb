import { describe, expect, it } from 'vitest'
import { failingFields, useApiFixture } from '../../../tests/support/use-api-fixture.ts'

/**
 * The behaviour every kind of customer child shares, run for each of them.
 * Kind-specific rules (unique finance codes, numbers, storage paths, timeline
 * events) are tested in each kind's folder.
 */
const kinds = [
  {
    table: 'contacts',
    body: (i: number) => ({
      name: `Ada ${i}`,
      email: `ada${i}@example.com`,
      phone: '+44 20 7946 0958',
      role: 'CTO',
    }),
    change: { role: 'CEO', phone: null },
  },
  {
    table: 'teams',
    body: (i: number) => ({ name: `Billing ${i}`, finance_code: `FC-${i}` }),
    change: { name: 'Billing EU' },
  },
  {
    table: 'processes',
    body: (i: number) => ({ name: `Onboarding ${i}`, status: 'in_progress', phase: 'onboarding' }),
    change: { status: 'done', phase: null },
  },
  {
    table: 'services',
    body: (i: number) => ({ name: `Support ${i}`, monthly_hours: 12.5 }),
    change: { monthly_hours: 20.25 },
  },
  // Not documents: they are created only by uploading their file (functions/routes/documents/).
] as const

describe.each(kinds)('$table API', ({ table, body, change }) => {
  const api = useApiFixture()
  let serial = 0
  const next = () => body(++serial)
  const count = async (customerId: string) => {
    const [row] = await api.t.db.query<{ n: number }>(
      `select count(*)::int as n from public.${table} where customer_id = $1`,
      [customerId],
    )
    return row?.n
  }
  /** The fixture's child of this kind under a customer. */
  const childOf = async (customerId: string) => {
    const [row] = await api.t.db.query<{ id: string }>(
      `select id from public.${table} where customer_id = $1 order by created_at limit 1`,
      [customerId],
    )
    return row?.id as string
  }

  it('should create, read with an ETag, change with If-Match and delete a row', async () => {
    const { f, tokens, request } = api
    const sent = next()
    const created = await request('POST', `/customers/${f.customers.repOwned}/${table}`, {
      token: tokens.rep,
      body: sent,
    })
    expect(created.status).toBe(201)
    expect(created.json).toMatchObject({ ...sent, org_id: f.orgA, customer_id: f.customers.repOwned })
    const etag = created.headers.get('etag') as string
    expect(etag).toMatch(/^"\d+"$/)
    expect(created.headers.get('location')).toBe(`/api/${table}/${created.json.id}`)

    const read = await request('GET', `/${table}/${created.json.id}`, { token: tokens.viewer })
    expect(read.status).toBe(200)
    expect(read.json).toEqual(created.json)
    expect(read.headers.get('etag')).toBe(etag)
    const unchanged = await request('GET', `/${table}/${created.json.id}`, {
      token: tokens.viewer,
      headers: { 'If-None-Match': etag },
    })
    expect(unchanged.status).toBe(304)

    const changed = await request('PATCH', `/${table}/${created.json.id}`, {
      token: tokens.rep,
      body: change,
      headers: { 'If-Match': etag },
    })
    expect(changed.status).toBe(200)
    expect(changed.json).toMatchObject(change)
    expect(changed.json.created_at).toBe(created.json.created_at)
    expect(changed.headers.get('etag')).not.toBe(etag)

    const stale = await request('PATCH', `/${table}/${created.json.id}`, {
      token: tokens.manager,
      body: change,
      headers: { 'If-Match': etag },
    })
    expect(stale.status).toBe(412)
    expect(stale.json.code).toBe('precondition_failed')
    const staleDelete = await request('DELETE', `/${table}/${created.json.id}`, {
      token: tokens.rep,
      headers: { 'If-Match': etag },
    })
    expect(staleDelete.status).toBe(412)

    const deleted = await request('DELETE', `/${table}/${created.json.id}`, {
      token: tokens.rep,
      headers: { 'If-Match': changed.headers.get('etag') as string },
    })
    expect(deleted.status).toBe(204)
    expect((await request('GET', `/${table}/${created.json.id}`, { token: tokens.rep })).status).toBe(404)
    expect((await request('DELETE', `/${table}/${created.json.id}`, { token: tokens.rep })).status).toBe(404)
  })

  it('should page through a customer’s rows exactly once, in sort order', async () => {
    const { f, tokens, request } = api
    for (let i = 0; i < 5; i++) {
      const res = await request('POST', `/customers/${f.customers.rep2Owned}/${table}`, {
        token: tokens.manager,
        body: next(),
      })
      expect(res.status).toBe(201)
    }
    const { rows: seen, pages } = await api.walk<{ id: string; created_at: string; customer_id: string }>(
      `/customers/${f.customers.rep2Owned}/${table}?sort=created_at&limit=2`,
      tokens.viewer,
    )
    expect(pages).toBe(3)
    expect(seen).toHaveLength(6) // the fixture's row and five new ones
    expect(new Set(seen.map((r) => r.id)).size).toBe(6)
    expect(seen.map((r) => r.created_at)).toEqual(seen.map((r) => r.created_at).sort())
    expect(seen.every((r) => r.customer_id === f.customers.rep2Owned)).toBe(true)
  })

  it('should refuse a cursor of another sort, a limit over 100 and an unknown sort', async () => {
    const { f, tokens, request } = api
    const first = await request(
      'GET',
      `/customers/${f.customers.rep2Owned}/${table}?sort=created_at&limit=1`,
      {
        token: tokens.viewer,
      },
    )
    const res = await request(
      'GET',
      `/customers/${f.customers.rep2Owned}/${table}?sort=-updated_at&cursor=${first.json.next_cursor}`,
      { token: tokens.viewer },
    )
    expect(res.status).toBe(400)
    expect(res.json.errors).toEqual([{ field: 'query.cursor', message: expect.any(String) }])
    const bad = await request(
      'GET',
      `/customers/${f.customers.rep2Owned}/${table}?limit=101&sort=org_id&x=1`,
      {
        token: tokens.viewer,
      },
    )
    expect(bad.status).toBe(400)
    expect(failingFields(bad)).toEqual(['query.limit', 'query.sort', 'query.x'])
  })

  it('should reject fields a client may not set and wrong types, listing each field', async () => {
    const { f, tokens, request } = api
    const res = await request('POST', `/customers/${f.customers.repOwned}/${table}`, {
      token: tokens.rep,
      body: {
        ...next(),
        name: 42,
        id: f.customers.orgB,
        org_id: f.orgB,
        customer_id: f.customers.orgB,
        created_at: '2020-01-01T00:00:00Z',
        updated_at: '2020-01-01T00:00:00Z',
      },
    })
    expect(res.status).toBe(400)
    expect(res.json.code).toBe('validation_failed')
    expect(failingFields(res)).toEqual([
      'body.created_at',
      'body.customer_id',
      'body.id',
      'body.name',
      'body.org_id',
      'body.updated_at',
    ])
    const id = await childOf(f.customers.repOwned)
    const patch = await request('PATCH', `/${table}/${id}`, {
      token: tokens.rep,
      body: { org_id: f.orgB, customer_id: f.customers.rep2Owned },
    })
    expect(patch.status).toBe(400)
    // Neither is a field to change, so the patch also changes nothing.
    expect(failingFields(patch)).toEqual(['body', 'body.customer_id', 'body.org_id'])
    const empty = await request('PATCH', `/${table}/${id}`, { token: tokens.rep, body: {} })
    expect(empty.status).toBe(400)
    expect(empty.json.errors).toEqual([{ field: 'body', message: 'send at least one field to change' }])
    const notAnId = await request('GET', `/${table}/not-a-uuid`, { token: tokens.rep })
    expect(notAnId.status).toBe(400)
    expect(failingFields(notAnId)).toEqual(['param.id'])
  })

  it('should answer 401 without a token', async () => {
    const { f, request } = api
    const list = await request('GET', `/customers/${f.customers.repOwned}/${table}`)
    expect(list.status).toBe(401)
    expect(list.json.code).toBe('unauthorized')
    const create = await request('POST', `/customers/${f.customers.repOwned}/${table}`, { body: next() })
    expect(create.status).toBe(401)
    expect(await count(f.customers.repOwned)).toBeGreaterThan(0)
  })

  it('should answer 404 to another tenant for every route and write nothing', async () => {
    const { f, tokens, request } = api
    const id = await childOf(f.customers.repOwned)
    const before = await count(f.customers.repOwned)
    const as = { token: tokens.outsider }
    expect((await request('GET', `/customers/${f.customers.repOwned}/${table}`, as)).status).toBe(404)
    const create = await request('POST', `/customers/${f.customers.repOwned}/${table}`, {
      ...as,
      body: next(),
    })
    expect(create.status).toBe(404)
    expect(create.json.code).toBe('not_found')
    expect((await request('GET', `/${table}/${id}`, as)).status).toBe(404)
    expect((await request('PATCH', `/${table}/${id}`, { ...as, body: change })).status).toBe(404)
    expect((await request('DELETE', `/${table}/${id}`, as)).status).toBe(404)
    // Someone who belongs to no organization at all sees nothing either.
    expect((await request('GET', `/${table}/${id}`, { token: tokens.stranger })).status).toBe(404)
    expect(await count(f.customers.repOwned)).toBe(before)
    expect((await request('GET', `/${table}/${id}`, { token: tokens.rep })).json).not.toMatchObject(change)
  })

  it('should refuse a viewer’s writes with 403 and write nothing', async () => {
    const { f, tokens, request } = api
    const id = await childOf(f.customers.repOwned)
    const before = await count(f.customers.repOwned)
    const as = { token: tokens.viewer }
    const create = await request('POST', `/customers/${f.customers.repOwned}/${table}`, {
      ...as,
      body: next(),
    })
    expect(create.status).toBe(403)
    expect(create.json.code).toBe('forbidden')
    expect((await request('PATCH', `/${table}/${id}`, { ...as, body: change })).status).toBe(403)
    expect((await request('DELETE', `/${table}/${id}`, as)).status).toBe(403)
    expect(await count(f.customers.repOwned)).toBe(before)
    expect((await request('GET', `/${table}/${id}`, as)).status).toBe(200)
  })

  it('should let a rep write their own customer’s rows but not another rep’s', async () => {
    const { f, tokens, request } = api
    const theirs = await childOf(f.customers.rep2Owned)
    const before = await count(f.customers.rep2Owned)
    const as = { token: tokens.rep }
    expect(
      (await request('POST', `/customers/${f.customers.rep2Owned}/${table}`, { ...as, body: next() })).status,
    ).toBe(403)
    expect((await request('PATCH', `/${table}/${theirs}`, { ...as, body: change })).status).toBe(403)
    expect((await request('DELETE', `/${table}/${theirs}`, as)).status).toBe(403)
    expect(await count(f.customers.rep2Owned)).toBe(before)

    const own = await childOf(f.customers.repOwned)
    expect((await request('PATCH', `/${table}/${own}`, { ...as, body: change })).status).toBe(200)
    // A manager writes every customer's rows.
    expect(
      (await request('PATCH', `/${table}/${theirs}`, { token: tokens.manager, body: change })).status,
    ).toBe(200)
  })

  it('should replay a retried create with the same Idempotency-Key instead of duplicating it', async () => {
    const { f, tokens, request } = api
    const before = await count(f.customers.repOwned)
    const headers = { 'Idempotency-Key': `${table}-create-once` }
    const sent = next()
    const first = await request('POST', `/customers/${f.customers.repOwned}/${table}`, {
      token: tokens.rep,
      body: sent,
      headers,
    })
    const again = await request('POST', `/customers/${f.customers.repOwned}/${table}`, {
      token: tokens.rep,
      body: sent,
      headers,
    })
    expect(first.status).toBe(201)
    expect(again.status).toBe(201)
    expect(again.json).toEqual(first.json)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(again.headers.get('etag')).toBe(first.headers.get('etag'))
    expect(await count(f.customers.repOwned)).toBe((before ?? 0) + 1)
  })
})
