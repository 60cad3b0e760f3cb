import { describe, expect, it } from 'vitest'
import { failingFields, useApiFixture } from '../../tests/support/use-api-fixture.ts'
import { moneyInput } from './money.ts'

/** Money inputs hold what their column holds: numeric(p, 2) keeps p − 2 integer digits. */
describe('money input', () => {
  it('should take as many integer digits as the column keeps, and no more', () => {
    const rate = moneyInput(10)
    expect(rate.safeParse('9999999999.99').success).toBe(true)
    expect(rate.safeParse('99999999999').success).toBe(false)
    expect(rate.safeParse(99999999999).success).toBe(false)
    const deal = moneyInput(12)
    expect(deal.safeParse('999999999999.99').success).toBe(true)
    expect(deal.safeParse('1000000000000').success).toBe(false)
  })
})

describe('money fields on the wire', () => {
  const api = useApiFixture()

  it('should refuse an organization’s rate its numeric(12, 2) column cannot hold with a 400 naming the field', async () => {
    const { f, request, tokens } = api
    const res = await request('PATCH', `/orgs/${f.orgA}`, {
      token: tokens.admin,
      body: { default_hourly_rate: '99999999999' },
    })
    expect(res.status).toBe(400)
    expect(failingFields(res)).toEqual(['body.default_hourly_rate'])
    const most = await request('PATCH', `/orgs/${f.orgA}`, {
      token: tokens.admin,
      body: { default_hourly_rate: '9999999999.99' },
    })
    expect(most.status).toBe(200)
    expect(most.json.default_hourly_rate).toBe('9999999999.99')
  })

  it('should keep taking a deal value up to its numeric(14, 2) column’s largest', async () => {
    const { f, request, tokens } = api
    const res = await request('PATCH', `/customers/${f.customers.repOwned}`, {
      token: tokens.rep,
      body: { deal_value: '999999999999.99' },
    })
    expect(res.status).toBe(200)
    expect(res.json.deal_value).toBe('999999999999.99')
    const over = await request('PATCH', `/customers/${f.customers.repOwned}`, {
      token: tokens.rep,
      body: { deal_value: '1000000000000' },
    })
    expect(over.status).toBe(400)
    expect(failingFields(over)).toEqual(['body.deal_value'])
  })

  it('should say in the OpenAPI document how large each amount may be', async () => {
    const { request } = api
    const { components } = (await request('GET', '/openapi.json')).json
    const description = (schema: string, field: string) =>
      components.schemas[schema].properties[field].description as string
    expect(description('OrganizationPatch', 'default_hourly_rate')).toContain('below 10^10')
    expect(description('CustomerPatch', 'deal_value')).toContain('below 10^12')
    // null clears a deal value: the document says so.
    expect(components.schemas.CustomerPatch.properties.deal_value.type).toEqual(['string', 'null'])
    expect(components.schemas.CustomerCreate.properties.deal_value.type).toEqual(['string', 'null'])
  })
})
