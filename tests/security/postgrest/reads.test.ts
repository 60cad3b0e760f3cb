import { describe, expect, it } from 'vitest'
import { readAs } from './attacks/reads.ts'
import { useSuite } from './support/context.ts'
import { callers } from './support/world.ts'

/** PostgREST-shaped reads of every exposed table and view, by every kind of caller (./attacks/reads.ts). */
const s = useSuite('postgrest reads')

describe('the attack fixture', () => {
  it('should hold rows of every exposed table in both organizations, or the attacks could not show a leak', () => {
    const { orgA, orgB } = s.w.f
    const missing = s.relations
      .filter((relation) => relation.kind === 'table')
      .filter((relation) => {
        const rows = s.rows.get(relation.name) ?? []
        const tenants = new Set(rows.map((row) => row.tenant))
        if ([...tenants].some((t) => t.startsWith('org:')))
          return !tenants.has(`org:${orgA}`) || !tenants.has(`org:${orgB}`)
        return rows.length === 0
      })
      .map((relation) => relation.name)
    expect(missing, 'add rows of these tables to tests/security/postgrest/support/world.ts').toEqual([])
  })
})

describe('reads through the exposed schemas', () => {
  for (const caller of callers) {
    it(`should show ${caller} no row of a tenant it is not part of, in any table or view`, async () => {
      expect(await readAs(s, caller)).toEqual({ crossings: [], inconclusive: [] })
    })
  }
})
