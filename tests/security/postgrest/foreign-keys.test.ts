import { describe, expect, it } from 'vitest'
import { membershipRoles } from '../../../functions/domain/vocabulary.ts'
import { pointAs } from './attacks/foreign-keys.ts'
import { useSuite } from './support/context.ts'
import type { Caller } from './support/world.ts'

/** Every foreign key of every exposed table pointed at another tenant's row (./attacks/foreign-keys.ts). */
const s = useSuite('postgrest foreign keys')

/** Callers that write rows of an organization of their own. */
const writers: Caller[] = [...membershipRoles, 'outsider']

describe('foreign keys across tenants', () => {
  for (const caller of writers) {
    it(`should refuse ${caller} every reference to a row of another tenant`, async () => {
      expect(await pointAs(s, caller)).toEqual({ crossings: [], inconclusive: [] })
    })
  }
})
