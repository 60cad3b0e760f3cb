import { describe, expect, it } from 'vitest'
import { failingFields, useApiFixture } from '../../../tests/support/use-api-fixture.ts'

describe('services API', () => {
  const api = useApiFixture()

  it('should return monthly hours as JSON numbers, stored to the hundredth', async () => {
    const { f, tokens, request } = api
    const created = await request('POST', `/customers/${f.customers.repOwned}/services`, {
      token: tokens.rep,
      body: { name: 'Hosting', monthly_hours: 7.125 },
    })
    expect(created.status).toBe(201)
    expect(created.text).toMatch(/"monthly_hours":7\.13[,}]/)
    const read = await request('GET', `/services/${created.json.id}`, { token: tokens.viewer })
    expect(read.json.monthly_hours).toBe(7.13)
    const list = await request('GET', `/customers/${f.customers.repOwned}/services`, { token: tokens.viewer })
    for (const service of list.json.data) expect(typeof service.monthly_hours).toBe('number')
    expect(list.json.data.map((s: { monthly_hours: number }) => s.monthly_hours)).toContain(10)
  })

  it('should default monthly hours to 0 and refuse a negative or too large number', async () => {
    const { f, tokens, request } = api
    const path = `/customers/${f.customers.repOwned}/services`
    const plain = await request('POST', path, { token: tokens.rep, body: { name: 'Advice' } })
    expect(plain.json.monthly_hours).toBe(0)
    for (const monthly_hours of [-1, 10000.01, '12']) {
      const res = await request('POST', path, { token: tokens.rep, body: { name: 'X', monthly_hours } })
      expect(res.status).toBe(400)
      expect(failingFields(res)).toEqual(['body.monthly_hours'])
    }
  })

  it('should page by monthly hours across equal values', async () => {
    const { f, tokens, request } = api
    for (const hours of [5, 5, 5, 1.5, 40])
      await request('POST', `/customers/${f.customers.rep2Owned}/services`, {
        token: tokens.manager,
        body: { name: `Tier ${hours}`, monthly_hours: hours },
      })
    const { rows } = await api.walk<{ monthly_hours: number }>(
      `/customers/${f.customers.rep2Owned}/services?sort=-monthly_hours&limit=2`,
      tokens.viewer,
    )
    const seen = rows.map((s) => s.monthly_hours)
    expect(seen).toEqual([40, 10, 5, 5, 5, 1.5])
  })
})
