import { describe, expect, it } from 'vitest'
import { forgeAs } from './attacks/columns.ts'
import { useSuite } from './support/context.ts'
import { callers } from './support/world.ts'

/** Every server-owned column written by every signed-in caller, on insert and update (./attacks/columns.ts). */
const s = useSuite('postgrest server-owned columns')

describe('server-owned columns', () => {
  for (const caller of callers.filter((c) => c !== 'anon')) {
    it(`should store no value of ${caller}'s choosing in a server-owned column, on insert or update`, async () => {
      expect(await forgeAs(s, caller)).toEqual({ crossings: [], inconclusive: [] })
    })
  }
})
