import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { customerPhases, customerSorts } from '../../../functions/domain/vocabulary.ts'
import { customerTabs, formatRoute, parseRoute, type Route } from './routes.ts'

const org = '0b9f5b8e-3a41-4c1e-9d2a-7d2a4c1e9d2a'
const id = '4c1e9d2a-7d2a-4c1e-9d2a-0b9f5b8e3a41'

describe('routes', () => {
  it('should read every screen from its hash', () => {
    expect(parseRoute('')).toEqual({ name: 'home' })
    expect(parseRoute(`#/orgs/${org}/overview?range=90`)).toEqual({ name: 'overview', org, range: 90 })
    expect(parseRoute(`#/orgs/${org}/customers?q=acme&phase=lead,won&sort=name`)).toEqual({
      name: 'customers',
      org,
      q: 'acme',
      phase: ['lead', 'won'],
      sort: 'name',
    })
    expect(parseRoute(`#/orgs/${org}/customers/${id}`)).toEqual({
      name: 'customer',
      org,
      id,
      tab: 'contacts',
    })
    expect(parseRoute(`#/orgs/${org}/customers/${id}/documents`)).toEqual({
      name: 'customer',
      org,
      id,
      tab: 'documents',
    })
    expect(parseRoute(`#/orgs/${org}/chat/${id}`)).toEqual({ name: 'chat', org, session: id })
  })

  it('should drop values it does not know instead of passing them on', () => {
    expect(parseRoute(`#/orgs/${org}/overview?range=7`)).toEqual({ name: 'overview', org, range: 30 })
    expect(parseRoute(`#/orgs/${org}/customers?phase=lead,bogus&sort=drop%20table&owner=me`)).toEqual({
      name: 'customers',
      org,
      phase: ['lead'],
    })
    expect(parseRoute('#/orgs/not-a-uuid/overview').name).toBe('not-found')
    expect(parseRoute(`#/orgs/${org}/customers/${id}/secrets`).name).toBe('not-found')
  })

  it('should only follow a sign-in redirect inside the app', () => {
    expect(parseRoute('#/sign-in?next=/orgs/x/overview')).toEqual({
      name: 'sign-in',
      next: '/orgs/x/overview',
    })
    expect(parseRoute('#/sign-in?next=//evil.example')).toEqual({ name: 'sign-in' })
    expect(parseRoute('#/sign-in?next=https://evil.example')).toEqual({ name: 'sign-in' })
  })

  it('should give back the same route after formatting and parsing (any filters)', () => {
    const hex = fc.constantFrom(...'0123456789abcdef')
    const uuid = fc
      .tuple(...[8, 4, 4, 4, 12].map((n) => fc.string({ unit: hex, minLength: n, maxLength: n })))
      .map((p) => p.join('-'))
    const route: fc.Arbitrary<Route> = fc.oneof(
      fc.record({ name: fc.constant('overview' as const), org: uuid, range: fc.constantFrom(30, 90, 365) }),
      fc.record(
        {
          name: fc.constant('customers' as const),
          org: uuid,
          q: fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim() === s && s.length > 0),
          phase: fc.uniqueArray(fc.constantFrom(...customerPhases), { minLength: 1 }),
          owner: uuid,
          sort: fc.constantFrom(...customerSorts),
        },
        { requiredKeys: ['name', 'org'] },
      ),
      fc.record({
        name: fc.constant('customer' as const),
        org: uuid,
        id: uuid,
        tab: fc.constantFrom(...customerTabs),
      }),
      fc.record(
        { name: fc.constant('chat' as const), org: uuid, session: uuid },
        { requiredKeys: ['name', 'org'] },
      ),
    ) as fc.Arbitrary<Route>
    fc.assert(
      fc.property(route, (r) => {
        expect(parseRoute(formatRoute(r))).toEqual(r)
      }),
    )
  })
})
