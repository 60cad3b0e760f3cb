import { describe, expect, it } from 'vitest'
import { failingFields, useApiFixture } from '../../../tests/support/use-api-fixture.ts'

describe('contacts API', () => {
  const api = useApiFixture()

  it('should refuse a malformed email and phone with the fields named', async () => {
    const { f, tokens, request } = api
    const res = await request('POST', `/customers/${f.customers.repOwned}/contacts`, {
      token: tokens.rep,
      body: { name: 'Grace', email: 'grace(at)example.com', phone: 'call me' },
    })
    expect(res.status).toBe(400)
    expect(failingFields(res)).toEqual(['body.email', 'body.phone'])
  })

  it('should trim names and clear optional fields with null', async () => {
    const { f, tokens, request } = api
    const created = await request('POST', `/customers/${f.customers.repOwned}/contacts`, {
      token: tokens.rep,
      body: { name: '  Grace Hopper ', email: 'grace@example.com' },
    })
    expect(created.json).toMatchObject({
      name: 'Grace Hopper',
      email: 'grace@example.com',
      phone: null,
      role: null,
    })
    const cleared = await request('PATCH', `/contacts/${created.json.id}`, {
      token: tokens.rep,
      body: { email: null },
    })
    expect(cleared.json.email).toBeNull()
    const blank = await request('PATCH', `/contacts/${created.json.id}`, {
      token: tokens.rep,
      body: { name: '   ' },
    })
    expect(blank.status).toBe(400)
    expect(failingFields(blank)).toEqual(['body.name'])
  })

  it('should list contacts by name unless asked otherwise', async () => {
    const { f, tokens, request } = api
    const res = await request('GET', `/customers/${f.customers.repOwned}/contacts`, { token: tokens.viewer })
    const names = res.json.data.map((c: { name: string }) => c.name)
    expect(names).toEqual([...names].sort())
    expect(names).toContain('Grace Hopper')
  })
})
