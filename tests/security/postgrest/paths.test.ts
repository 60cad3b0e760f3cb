import { describe, expect, it } from 'vitest'
import { traverseAs } from './attacks/paths.ts'
import { useSuite } from './support/context.ts'
import { looksLikeAPath, notPaths, pathColumns } from './support/paths.ts'

/** Traversal spellings in every text column that reaches a Storage path (./attacks/paths.ts). */
const s = useSuite('storage paths')

describe('columns that reach a Storage path or a URL', () => {
  it('should all be declared, with their shape or the reason they reach neither', () => {
    const undeclared = s.relations.flatMap((relation) =>
      relation.columns
        .map((column) => `${relation.name}.${column.name}`)
        .filter((name) => looksLikeAPath(name.split('.').pop() as string))
        .filter((name) => !(name in pathColumns) && !(name in notPaths)),
    )
    expect(undeclared, 'declare them in tests/security/postgrest/support/paths.ts').toEqual([])
  })

  for (const caller of ['rep', 'manager'] as const) {
    it(`should keep every path in its shape whatever ${caller} writes in the row's text columns`, async () => {
      expect(await traverseAs(s, caller)).toEqual({ crossings: [], inconclusive: [] })
    })
  }
})
