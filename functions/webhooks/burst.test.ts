import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp } from '../../tests/support/api.ts'
import { createFixture, type Fixture } from '../../tests/support/fixtures.ts'
import { createTestDatabase, type TestDatabase } from '../../tests/support/test-database.ts'
import {
  type BurstIntegrations,
  burstCounts,
  createBurstIntegrations,
  sendBurst,
} from '../../tests/support/webhook-burst.ts'
import { type ListeningServer, startApiServer } from '../entries/node.ts'
import { settleAfterResponse } from './after-response.ts'
import { processPendingWebhookEvents } from './retry.ts'

/**
 * A burst through the real HTTP server (all three providers in turn): every
 * delivery answered 200, stored, processed, one customer each. PGlite is one
 * in-process connection, so it gets a modest burst; a server gets 2,000 from
 * 32 senders at once, eight times the test pool's connections. The intake's
 * throughput is measured by scripts/bench-webhooks.ts (docs/webhooks.md), not
 * here: 5,000 took a minute of a `npm test` run of 4 to 9 minutes.
 */
describe('a burst of deliveries through the HTTP server', () => {
  let t: TestDatabase
  let f: Fixture
  let server: ListeningServer
  let integrations: BurstIntegrations

  beforeAll(async () => {
    t = await createTestDatabase()
    f = await createFixture(t.db)
    const { config } = createTestApp(t.db)
    server = await startApiServer({ db: t.db, config, port: 0, log: () => {} })
    integrations = await createBurstIntegrations(t.db, f.orgA, f.users.admin.id)
  })
  afterAll(async () => {
    await settleAfterResponse()
    await server?.close()
    await t?.close()
  })

  it('should store and process every delivery, counts matching', async () => {
    const count = t.db.kind === 'pglite' ? 500 : 2000
    const result = await sendBurst(server.url, integrations, { count, concurrency: 32, tag: 'burst' })
    expect(result.refused).toEqual({})
    expect(result.accepted).toBe(count)
    // Processing after each response, not the retry path, did all the work…
    await settleAfterResponse()
    expect(await burstCounts(t.db, integrations)).toEqual({
      stored: count,
      processed: count,
      // The fixture's own customers carry hubspot ids too (one per customer of org A).
      customers: count + 2,
    })
    // …so the retry path, run as the scheduler would, finds nothing left.
    expect(await processPendingWebhookEvents(t.db, { limit: count })).toEqual({
      processed: 0,
      ignored: 0,
      failed: 0,
      dead: 0,
      skipped: 0,
    })
  }, 600_000)
})
