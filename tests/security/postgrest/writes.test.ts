import { describe, expect, it } from 'vitest'
import { writeAs } from './attacks/writes.ts'
import { useSuite } from './support/context.ts'
import { callers } from './support/world.ts'

/** PostgREST-shaped writes aimed at other tenants, by every kind of caller (./attacks/writes.ts). */
const s = useSuite('postgrest writes')

describe('writes aimed at other tenants', () => {
  for (const caller of callers) {
    it(`should let ${caller} change nothing outside its own tenants, by any write to any table`, async () => {
      expect(await writeAs(s, caller)).toEqual({ crossings: [], inconclusive: [] })
    })
  }
})
