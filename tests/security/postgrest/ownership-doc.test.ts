import { describe, expect, it } from 'vitest'
import { useSuite } from './support/context.ts'
import { renderOwnershipTable } from './support/ownership-table.ts'

/** docs/columns.md is what the catalogue and column-ownership.ts say (`-u` rewrites it). */
const s = useSuite('column ownership document')

describe('docs/columns.md', () => {
  it('should say who writes each column of each exposed table, as the database and the declaration do', async () => {
    await expect(await renderOwnershipTable(s.w.db, s.relations)).toMatchFileSnapshot(
      '../../../docs/columns.md',
    )
  })
})
