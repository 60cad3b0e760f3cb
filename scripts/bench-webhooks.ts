// npx tsx scripts/bench-webhooks.ts — sustained webhook deliveries per second, zero loss.
//
// Starts the real Node HTTP server (startApiServer) on a free loopback port over
// a fresh in-memory PGlite, or over DATABASE_URL (a scratch database: it is
// migrated and gets one organization), creates a HubSpot, a Pipedrive and a
// Standard Webhooks integration, then sends DELIVERIES signed deliveries (the
// three providers in turn, CONCURRENCY in flight, each a new company) and
// waits until every one is processed. It stops by itself and fails unless
// every delivery was answered 200, stored once and processed once.
import { parseApiConfig } from '../functions/config.ts'
import type { Database } from '../functions/db/database.ts'
import { openPGlite, pgliteDatabase } from '../functions/db/pglite.ts'
import { createPostgresDatabase } from '../functions/db/postgres.ts'
import { startApiServer } from '../functions/entries/node.ts'
import { settleAfterResponse } from '../functions/webhooks/after-response.ts'
import { addMember, createAuthUser, createOrganization } from '../tests/support/fixtures.ts'
import { burstCounts, createBurstIntegrations, sendBurst } from '../tests/support/webhook-burst.ts'
import { migrate } from './db/migrations.ts'
import { runMain } from './db/run-main.ts'

const deliveries = Number(process.env.DELIVERIES ?? 2000)
const concurrency = Number(process.env.CONCURRENCY ?? 32)
const warmup = Number(process.env.WARMUP ?? 60)

await runMain(async () => {
  const url = process.env.DATABASE_URL
  const db: Database = url ? createPostgresDatabase(url, { max: 10 }) : pgliteDatabase(await openPGlite())
  const config = parseApiConfig({ SUPABASE_JWT_SECRET: 'bench-secret-that-is-at-least-32-characters' })
  const server = await startApiServer({ db, config, port: 0, hostname: '127.0.0.1', log: () => {} })
  try {
    await migrate(db)
    const tag = `bench${Date.now().toString(36)}`
    const orgId = await createOrganization(db, `Webhook bench ${tag}`)
    const admin = await createAuthUser(db, `${tag}@bench.example.com`)
    await addMember(db, orgId, admin.id, 'admin')
    const integrations = await createBurstIntegrations(db, orgId, admin.id)

    await sendBurst(server.url, integrations, { count: warmup, concurrency, tag: `${tag}w` })
    await settleAfterResponse()
    const before = await burstCounts(db, integrations)

    const started = performance.now()
    const burst = await sendBurst(server.url, integrations, { count: deliveries, concurrency, tag })
    await settleAfterResponse()
    const processedMs = performance.now() - started
    const after = await burstCounts(db, integrations)

    const stored = after.stored - before.stored
    const processed = after.processed - before.processed
    const created = after.customers - before.customers
    const rate = (n: number, ms: number) => ((n / ms) * 1000).toFixed(0)
    console.log(
      `Webhook deliveries over HTTP (loopback), ${url ? 'PostgreSQL (DATABASE_URL)' : 'PGlite in memory'}`,
    )
    console.log(
      `  ${deliveries} deliveries (HubSpot, Pipedrive, Standard Webhooks in turn), ${concurrency} in flight`,
    )
    console.log(
      `  answered 200: ${burst.accepted}; refused: ${JSON.stringify(burst.refused)}; resent after a broken connection: ${burst.resent}`,
    )
    console.log(`  stored ${stored}, processed ${processed}, customers created ${created}`)
    console.log(
      `  accepted:  ${rate(burst.accepted, burst.elapsedMs)} deliveries/s (${(burst.elapsedMs / 1000).toFixed(1)} s)`,
    )
    console.log(
      `  processed: ${rate(processed, processedMs)} deliveries/s end to end (${(processedMs / 1000).toFixed(1)} s)`,
    )
    if (
      burst.accepted !== deliveries ||
      stored !== deliveries ||
      processed !== deliveries ||
      created !== deliveries
    ) {
      throw new Error('Lost deliveries: the counts above must all equal the deliveries sent.')
    }
    console.log('  zero loss: every delivery answered, stored once and processed once')
  } finally {
    await settleAfterResponse()
    await server.close()
    await db.close()
  }
})
