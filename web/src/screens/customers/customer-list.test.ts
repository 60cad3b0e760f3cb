import { describe, expect, it } from 'vitest'
import { customersPath, filtersKey, togglePhase } from './customer-query.ts'
import { appendUnique, prependUnique } from './customer-rows.ts'
import { ariaSort, nextSort } from './sort.ts'

const org = 'org-1'
const row = (id: string, version: string, name = id) => ({ id, version, name })

describe('customer list paging', () => {
  it('should append a page without repeating a row that moved into it', () => {
    const loaded = [row('a', '1'), row('b', '1')]
    const merged = appendUnique(loaded, [row('c', '1'), row('a', '5', 'a renamed'), row('d', '1')])
    expect(merged.map((r) => r.id)).toEqual(['a', 'b', 'c', 'd'])
    expect(merged[0]).toEqual(row('a', '5', 'a renamed'))
  })

  it('should keep the newer copy when an older one arrives in a later page', () => {
    const merged = appendUnique([row('a', '9', 'newest')], [row('a', '3', 'old')])
    expect(merged).toEqual([row('a', '9', 'newest')])
  })

  it('should drop repeats inside one page too', () => {
    expect(appendUnique([], [row('a', '1'), row('a', '1')]).map((r) => r.id)).toEqual(['a'])
  })

  it('should put a created customer on top once', () => {
    expect(prependUnique([row('a', '1'), row('b', '1')], row('b', '2')).map((r) => r.id)).toEqual(['b', 'a'])
  })
})

describe('customer list requests', () => {
  it('should ask for pages of 50 with the filters, phases comma-separated', () => {
    expect(customersPath(org, {})).toBe('/orgs/org-1/customers?limit=50&sort=-updated_at')
    expect(
      customersPath(
        org,
        { q: 'acme & co', phase: ['lead', 'won'], owner: 'u1', sort: 'name' },
        { cursor: 'c+/=' },
      ),
    ).toBe(
      '/orgs/org-1/customers?limit=50&sort=name&phase=lead,won&owner_id=u1&q=acme+%26+co&cursor=c%2B%2F%3D',
    )
  })

  it('should see the same filters in another order as the same list', () => {
    expect(filtersKey({ phase: ['won', 'lead'] })).toBe(
      filtersKey({ phase: ['lead', 'won'], sort: '-updated_at' }),
    )
    expect(filtersKey({ q: 'a' })).not.toBe(filtersKey({ q: 'b' }))
  })

  it('should toggle phases and treat none chosen as all', () => {
    expect(togglePhase(undefined, 'lead', true)).toEqual(['lead'])
    expect(togglePhase(['lead', 'won'], 'lead', false)).toEqual(['won'])
    expect(togglePhase(['lead'], 'lead', false)).toBeUndefined()
  })
})

describe('sorting by column headers', () => {
  it('should flip the sorted column and start others in their natural direction', () => {
    expect(nextSort(undefined, 'updated_at')).toBe('updated_at')
    expect(nextSort('updated_at', 'updated_at')).toBe('-updated_at')
    expect(nextSort(undefined, 'name')).toBe('name')
    expect(nextSort('name', 'name')).toBe('-name')
    expect(nextSort('name', 'created_at')).toBe('-created_at')
  })

  it('should say which way only on the sorted column', () => {
    expect(ariaSort(undefined, 'updated_at')).toBe('descending')
    expect(ariaSort('name', 'name')).toBe('ascending')
    expect(ariaSort('name', 'updated_at')).toBe('none')
  })
})
