// Issue 10, connection handling: more concurrent requests than pooled
// connections queue for a connection instead of failing. 500 requests at once
// (reads and creates, real HTTP to the real app) through a pool of 10: every
// one answers 2xx, every acknowledged create is in the database, and the server
// never saw more than the pool's connections. A server only: PGlite is one
// in-process connection with no pool, so there the requests simply take turns.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../functions/app.ts'
import type { Database } from '../../functions/db/database.ts'
import { createPostgresDatabase } from '../../functions/db/postgres.ts'
import { listen } from '../../functions/entries/node.ts'
import { createTestApp, tokenFor } from '../support/api.ts'
import { createFixture, type Fixture } from '../support/fixtures.ts'
import { testServerUrl } from '../support/server-url.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'

const poolSize = 10
const concurrent = 500
const applicationName = 'pool-queueing-test'

describe.skipIf(!testServerUrl())(
  '500 concurrent requests through a pool of 10 (needs a Postgres server: PGlite is one connection, with no pool)',
  () => {
    let t: TestDatabase
    let f: Fixture
    let db: Database
    let server: Awaited<ReturnType<typeof listen>>
    let token: string

    beforeAll(async () => {
      t = await createTestDatabase()
      f = await createFixture(t.db)
      // A pool of its own with the size under test.
      const url = new URL(t.url as string)
      url.searchParams.set('application_name', applicationName)
      db = createPostgresDatabase(url.toString(), { max: poolSize })
      const { config } = createTestApp(db, { LOG_LEVEL: 'warn' })
      const app = createApp({ db, config, log: () => {} })
      server = await listen(app.fetch, { port: 0 })
      token = await tokenFor(f.users.rep.id)
    })

    afterAll(async () => {
      await server?.close()
      await db?.close()
      await t?.close()
    })

    it('should answer every request with 2xx, keep every create, and open no more connections than the pool', async () => {
      let peakConnections = 0
      let sampling = true
      const sampler = (async () => {
        while (sampling) {
          // This file's database only: other files of the run (and other runs) share the server.
          const [row] = await t.db.query<{ n: number }>(
            `select count(*)::int as n from pg_stat_activity
             where datname = current_database() and (application_name = $1 or application_name like $2)`,
            [applicationName, 'sales-api %'],
          )
          peakConnections = Math.max(peakConnections, row?.n ?? 0)
          await new Promise((r) => setTimeout(r, 5))
        }
      })()

      const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }
      const names = new Set<string>()
      const responses = await Promise.all(
        Array.from({ length: concurrent }, (_, i) => {
          if (i % 5 === 0) {
            const name = `Queued customer ${i}`
            names.add(name)
            return fetch(`${server.url}/api/orgs/${f.orgA}/customers`, {
              method: 'POST',
              headers,
              body: JSON.stringify({ name }),
            })
          }
          const path = i % 2 ? `/orgs/${f.orgA}/customers?limit=20` : `/customers/${f.customers.repOwned}`
          return fetch(`${server.url}/api${path}`, { headers })
        }),
      )
      sampling = false
      await sampler

      const statuses: Record<number, number> = {}
      for (const res of responses) {
        statuses[res.status] = (statuses[res.status] ?? 0) + 1
        await res.arrayBuffer()
      }
      expect(statuses).toEqual({ 200: concurrent - names.size, 201: names.size })

      const stored = await t.db.query<{ name: string }>(
        'select name from public.customers where org_id = $1 and name like $2',
        [f.orgA, 'Queued customer %'],
      )
      expect(new Set(stored.map((r) => r.name))).toEqual(names)
      expect(peakConnections).toBeGreaterThan(0)
      expect(peakConnections).toBeLessThanOrEqual(poolSize)
    })
  },
)
