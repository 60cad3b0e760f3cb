import { afterAll, beforeAll, expect, it } from 'vitest'
import { measureFanOut } from '../../scripts/local/realtime/fan-out-measure.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'

/**
 * The local realtime server holds 1,000 subscribed sockets and fans one change
 * out to every one of them. Not timed: the figures are measured by
 * scripts/local/realtime/load.ts and reported in docs/realtime.md.
 */
let t: TestDatabase
beforeAll(async () => {
  t = await createTestDatabase()
})
afterAll(() => t?.close())

it('should deliver one database change to each of 1,000 sockets joined to a private topic', async () => {
  const figures = await measureFanOut(t.db, { sockets: 1000, rounds: 1 })
  expect(figures.delivered).toBe(1000)
}, 120_000)
