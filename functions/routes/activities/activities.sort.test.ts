import { Buffer } from 'node:buffer'
import { beforeAll, describe, expect, it } from 'vitest'
import { useApiFixture } from '../../../tests/support/use-api-fixture.ts'
import { activitySort } from '../../queries/activities.ts'

/** The list's cursor carries the sort key of the query that read the page: one definition, in the query module. */
describe('activities list sort', () => {
  const api = useApiFixture()
  let { f, request, tokens } = api
  beforeAll(() => {
    ;({ f, request, tokens } = api)
  })

  it('should put the query’s own sort key in the cursor and take that cursor back', async () => {
    const path = `/customers/${f.customers.repOwned}/activities`
    for (const day of ['01', '02', '03'])
      await request('POST', path, {
        token: tokens.rep,
        body: { kind: 'email', outcome: 'completed', occurred_at: `2026-03-${day}T09:00:00Z` },
      })
    const first = await request('GET', `${path}?limit=2`, { token: tokens.rep })
    expect(first.status).toBe(200)
    const [sort] = JSON.parse(Buffer.from(first.json.next_cursor, 'base64url').toString('utf8'))
    expect(sort).toBe(activitySort.name)
    const next = await request('GET', `${path}?limit=2&cursor=${first.json.next_cursor}`, {
      token: tokens.rep,
    })
    expect(next.status).toBe(200)
    expect(next.json.data.length).toBeGreaterThan(0)
  })
})
