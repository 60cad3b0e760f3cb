// npx tsx scripts/api-latency.ts — in-process latency of the customers list.
//
// The whole request path except the network: app.request() through every
// middleware (request id, log, security headers, CORS, body limit, JWT
// verification), one transaction as the caller under RLS, the keyset page
// query, JSON. The database is PGlite in memory, migrated, holding one
// organization of CUSTOMERS customers. Prints median and p95 after a warm-up,
// and the CPU time per request, which a busy machine distorts less.
import { randomBytes } from 'node:crypto'
import { SignJWT } from 'jose'
import { createApp } from '../functions/app.ts'
import { parseApiConfig } from '../functions/config.ts'
import { openPGlite, pgliteDatabase } from '../functions/db/pglite.ts'
import { addMember, createAuthUser, createOrganization } from '../tests/support/fixtures.ts'
import { migrate } from './db/migrations.ts'
import { runMain } from './db/run-main.ts'

const customers = Number(process.env.CUSTOMERS ?? 1000)
const warmup = Number(process.env.WARMUP ?? 50)
const samples = Number(process.env.REQUESTS ?? 300)

function percentile(sorted: number[], p: number): number {
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank] as number
}

await runMain(async () => {
  const db = pgliteDatabase(await openPGlite())
  try {
    await migrate(db)
    const orgId = await createOrganization(db, 'Latency Ltd')
    const user = await createAuthUser(db, 'latency-rep@example.com')
    await addMember(db, orgId, user.id, 'manager')
    await db.query(
      `insert into public.customers (org_id, owner_id, name, phase)
       select $1, $2, 'Customer ' || g,
              (enum_range(null::public.customer_phase))[1 + g % 9]
       from generate_series(1, $3::int) g`,
      [orgId, user.id, customers],
    )
    await db.query('analyze public.customers')

    const secret = randomBytes(32).toString('hex')
    const app = createApp({
      db,
      config: parseApiConfig({ SUPABASE_JWT_SECRET: secret }),
      log: () => {},
    })
    const token = await new SignJWT({ role: 'authenticated' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(user.id)
      .setAudience('authenticated')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(secret))
    const path = `/api/orgs/${orgId}/customers`
    const headers = { Authorization: `Bearer ${token}` }

    async function once(): Promise<number> {
      const started = performance.now()
      const res = await app.request(path, { headers })
      const body = (await res.json()) as { data: unknown[] }
      const elapsed = performance.now() - started
      if (res.status !== 200 || body.data.length !== 50) throw new Error(`Unexpected answer: ${res.status}`)
      return elapsed
    }

    for (let i = 0; i < warmup; i++) await once()
    const timings: number[] = []
    const cpuBefore = process.cpuUsage()
    for (let i = 0; i < samples; i++) timings.push(await once())
    const cpu = process.cpuUsage(cpuBefore)
    timings.sort((a, b) => a - b)

    const ms = (n: number) => `${n.toFixed(2)} ms`
    console.log(
      `GET ${path.replace(orgId, ':orgId')} (first page, 50 of ${customers} customers), PGlite in memory`,
    )
    console.log(`  ${samples} requests after ${warmup} warm-up, one at a time`)
    console.log(`  median ${ms(percentile(timings, 50))}`)
    console.log(`  p95    ${ms(percentile(timings, 95))}`)
    console.log(`  min    ${ms(timings[0] as number)}, max ${ms(timings.at(-1) as number)}`)
    // Wall time suffers when other processes share the cores; CPU time much less so.
    console.log(`  CPU    ${ms((cpu.user + cpu.system) / 1000 / samples)} per request (user + system)`)
    console.log(`  node ${process.version}, ${process.platform}/${process.arch}`)
  } finally {
    await db.close()
  }
})
