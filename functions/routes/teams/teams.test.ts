import { describe, expect, it } from 'vitest'
import { failingFields, useApiFixture } from '../../../tests/support/use-api-fixture.ts'

describe('teams API', () => {
  const api = useApiFixture()

  it('should answer 409 to a finance code the customer already uses, on create and on change', async () => {
    const { f, tokens, request } = api
    const path = `/customers/${f.customers.repOwned}/teams`
    const first = await request('POST', path, {
      token: tokens.rep,
      body: { name: 'Ops', finance_code: 'OPS-1' },
    })
    expect(first.status).toBe(201)
    const duplicate = await request('POST', path, {
      token: tokens.rep,
      body: { name: 'Ops 2', finance_code: 'OPS-1' },
    })
    expect(duplicate.status).toBe(409)
    expect(duplicate.json).toMatchObject({ code: 'conflict', status: 409 })
    expect(duplicate.json.detail).toContain('teams_finance_code_unique_per_customer')

    const other = await request('POST', path, {
      token: tokens.rep,
      body: { name: 'Ops 3', finance_code: 'OPS-2' },
    })
    const renamed = await request('PATCH', `/teams/${other.json.id}`, {
      token: tokens.rep,
      body: { finance_code: 'OPS-1' },
    })
    expect(renamed.status).toBe(409)
    expect((await request('GET', `/teams/${other.json.id}`, { token: tokens.rep })).json.finance_code).toBe(
      'OPS-2',
    )
  })

  it('should allow the same finance code on another customer', async () => {
    const { f, tokens, request } = api
    const res = await request('POST', `/customers/${f.customers.rep2Owned}/teams`, {
      token: tokens.manager,
      body: { name: 'Ops', finance_code: 'OPS-1' },
    })
    expect(res.status).toBe(201)
  })

  it('should refuse a malformed finance code with the field named', async () => {
    const { f, tokens, request } = api
    const res = await request('POST', `/customers/${f.customers.repOwned}/teams`, {
      token: tokens.rep,
      body: { name: 'Ops', finance_code: '-no spaces' },
    })
    expect(res.status).toBe(400)
    expect(failingFields(res)).toEqual(['body.finance_code'])
  })

  it('should sort by finance code on request', async () => {
    const { f, tokens, request } = api
    const res = await request('GET', `/customers/${f.customers.repOwned}/teams?sort=-finance_code`, {
      token: tokens.viewer,
    })
    const codes = res.json.data.map((t: { finance_code: string }) => t.finance_code)
    expect(codes).toEqual([...codes].sort().reverse())
    expect(codes).toContain('OPS-2')
  })
})
