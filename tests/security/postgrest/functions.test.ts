import { beforeAll, describe, expect, it } from 'vitest'
import { callAs } from './attacks/functions.ts'
import { type CallableFunction, callableFunctions } from './support/catalogue.ts'
import { useSuite } from './support/context.ts'
import { callers } from './support/world.ts'

/** Every function anon or authenticated may execute, called with another tenant's values (./attacks/functions.ts). */
const s = useSuite('callable functions')
let functions: CallableFunction[] = []
beforeAll(async () => {
  functions = await callableFunctions(s.w.db)
})

describe('callable functions', () => {
  it('should be read from the catalogue', () => {
    expect(functions.map((f) => f.name)).toContain('auth.uid')
  })

  for (const caller of callers) {
    it(`should give ${caller} nothing of another tenant through any callable function`, async () => {
      expect(await callAs(s, caller, functions)).toEqual({ crossings: [], inconclusive: [] })
    })
  }
})
