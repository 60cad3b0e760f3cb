// npm run soak — a mixed read/write load on the API for a while, then checks
// that nothing was lost and nothing grew (issue 11; docs/security.md).
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run soak -- --minutes 10
//   npm run soak -- --seconds 30            (PGlite in memory when DATABASE_URL is unset)
// On a server it creates a throw-away database (soak_<time>), migrates and seeds
// it small, and drops it at the end (--keep keeps it). The API runs in this
// process as the Node entry runs it (createApp mounts the request timeout), with the process
// guard; a rep and a manager of Acme list, read, search, create and change
// phases (If-Match) from plain fetch clients. Prints tables, writes
// .data/soak/<time>.json, exits 1 when a check fails.

import { randomBytes, randomUUID } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import v8 from 'node:v8'
import vm from 'node:vm'
import { SignJWT } from 'jose'
import { createApp } from '../functions/app.ts'
import { parseApiConfig } from '../functions/config.ts'
import type { Database } from '../functions/db/database.ts'
import { openDatabase } from '../functions/db/open.ts'
import { createPostgresDatabase } from '../functions/db/postgres.ts'
import { guardProcess, listen } from '../functions/entries/node.ts'
import { redactUrl } from './db/env.ts'
import { migrate } from './db/migrations.ts'
import { runMain } from './db/run-main.ts'
import { seedDatabase } from './seed/load.ts'
import { parseSoakArgs } from './soak/args.ts'
import { type Actor, runLoad } from './soak/load.ts'
import { formatReport, judge, type Sample, type SoakFigures } from './soak/verdict.ts'

const poolMax = 10

/**
 * A full garbage collection before each memory sample, so the heap figure is
 * what is alive rather than wherever the collector happened to be (the
 * documented way to reach `gc` without starting Node with --expose-gc).
 */
v8.setFlagsFromString('--expose-gc')
const collectGarbage = vm.runInNewContext('gc') as () => void

await runMain(async () => {
  const args = parseSoakArgs(process.argv.slice(2))
  const serverUrl = process.env.DATABASE_URL || undefined
  const requestTimeoutMs = Number(process.env.REQUEST_TIMEOUT_MS || 15_000)
  const startedAt = new Date()
  const stamp = startedAt.toISOString().replace(/\D/g, '').slice(0, 14)
  const log = (line: string) => console.log(line)

  // The database: a fresh one on the server, or PGlite in memory.
  let admin: Database | undefined
  let db: Database
  const dbName = `soak_${stamp}`
  if (serverUrl) {
    admin = createPostgresDatabase(serverUrl, { max: 1 })
    await admin.query(`create database ${dbName}`)
    const url = new URL(serverUrl)
    url.pathname = `/${dbName}`
    db = createPostgresDatabase(url.toString(), { max: poolMax })
    log(`Soak on ${redactUrl(url.toString())} (created for this run)`)
  } else {
    db = await openDatabase({ dataDir: 'memory://' })
    log('Soak on PGlite in memory (set DATABASE_URL for a Postgres server)')
  }

  const appLog: Record<string, number> = {}
  const appLogFirst: Record<string, unknown>[] = []
  let driverErrors = 0
  const unguard = guardProcess({
    log: (line) => {
      if (line.event === 'db_driver_error') driverErrors++
      console.error(JSON.stringify({ time: new Date().toISOString(), ...line }))
    },
  })
  let server: Awaited<ReturnType<typeof listen>> | undefined
  try {
    await migrate(db)
    await seedDatabase(db, { customers: args.customers })
    const [org] = await db.query<{ org_id: string; rep_id: string; manager_id: string }>(
      `select o.id as org_id,
              (select id from public.users where email = 'rep@acme.example') as rep_id,
              (select id from public.users where email = 'manager@acme.example') as manager_id
         from public.organizations o where o.name = 'Acme Corporation'`,
    )
    if (!org?.rep_id || !org.manager_id) throw new Error('The seed has no Acme rep and manager')
    const customers = await db.query<{ id: string; owner_id: string | null; name: string }>(
      'select id, owner_id, name from public.customers where org_id = $1',
      [org.org_id],
    )

    const secret = randomBytes(32).toString('hex')
    const config = parseApiConfig({
      SUPABASE_JWT_SECRET: secret,
      LOG_LEVEL: 'warn',
      REQUEST_TIMEOUT_MS: String(requestTimeoutMs),
    })
    const api = createApp({
      db,
      config,
      log: (line) => {
        if (line.level !== 'warn' && line.level !== 'error') return
        const key = `${line.level ?? 'info'} ${line.msg ?? line.event ?? ''}`
        appLog[key] = (appLog[key] ?? 0) + 1
        if (appLogFirst.length < 20) appLogFirst.push(line)
      },
    })
    server = await listen(api.fetch, { port: 0 })

    const token = (sub: string, email: string) =>
      new SignJWT({ role: 'authenticated', email })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(sub)
        .setAudience('authenticated')
        .setIssuedAt()
        .setExpirationTime(`${Math.ceil(args.durationMs / 3_600_000) + 1}h`)
        .sign(new TextEncoder().encode(secret))
    const actors: Actor[] = [
      {
        role: 'rep',
        token: await token(org.rep_id, 'rep@acme.example'),
        writable: customers.filter((c) => c.owner_id === org.rep_id).map((c) => c.id),
      },
      {
        role: 'manager',
        token: await token(org.manager_id, 'manager@acme.example'),
        writable: customers.map((c) => c.id),
      },
    ]
    const searchTerms = [
      ...new Set(
        customers.map((c) => c.name.split(/\s+/)[0]?.slice(0, 4).toLowerCase() ?? '').filter(Boolean),
      ),
    ].slice(0, 50)

    // Resources every sampleMs, from before the first request to after the last.
    const samples: Sample[] = []
    const t0 = performance.now()
    const sample = async () => {
      collectGarbage()
      const memory = process.memoryUsage()
      const connections = admin
        ? ((
            await admin.query<{ n: number }>(
              'select count(*)::int as n from pg_stat_activity where datname = $1',
              [dbName],
            )
          )[0]?.n ?? null)
        : null
      samples.push({
        at_s: Math.round((performance.now() - t0) / 1000),
        rss_mb: memory.rss / 2 ** 20,
        heap_used_mb: memory.heapUsed / 2 ** 20,
        connections,
      })
    }
    await sample()
    let sampling = Promise.resolve()
    const sampler = setInterval(() => {
      sampling = sampling.then(sample, () => {})
    }, args.sampleMs)

    log(
      `${args.workers} clients for ${args.durationMs / 1000} s as the rep and the manager of Acme ` +
        `(${customers.length} customers), request timeout ${requestTimeoutMs} ms, samples every ${args.sampleMs / 1000} s`,
    )
    const runId = randomUUID().slice(0, 8)
    const load = await runLoad({
      apiUrl: `${server.url}${config.API_BASE_PATH}`,
      orgId: org.org_id,
      actors,
      workers: args.workers,
      durationMs: args.durationMs,
      readable: customers.map((c) => c.id),
      searchTerms,
      clientTimeoutMs: requestTimeoutMs + 15_000,
      runId,
    })
    clearInterval(sampler)
    await sampling
    await sample()

    // Every acknowledged create, looked for in the database (as the superuser: no RLS in the way).
    const found = new Set(
      (
        await db.query<{ id: string }>('select id from public.customers where id = any($1::uuid[])', [
          load.acknowledged,
        ])
      ).map((r) => r.id),
    )
    const figures: SoakFigures = {
      operations: load.operations,
      acknowledged_creates: load.acknowledged.length,
      missing_creates: load.acknowledged.filter((id) => !found.has(id)),
      samples,
      pool_max: admin ? poolMax : null,
      driver_errors: driverErrors,
    }
    const verdict = judge(figures)
    const total = Object.values(load.operations).reduce(
      (sum, op) => sum + Object.values(op.statuses).reduce((a, b) => a + b, 0) + op.unanswered,
      0,
    )
    log('')
    log(formatReport(figures, verdict))
    log(
      `\n${total} requests in ${args.durationMs / 1000} s (${(total / (args.durationMs / 1000)).toFixed(0)}/s)`,
    )
    if (Object.keys(appLog).length) log(`API log lines at warn and above: ${JSON.stringify(appLog)}`)

    const dir = resolve(process.env.DATA_DIR || '.data', 'soak')
    await mkdir(dir, { recursive: true })
    const file = resolve(dir, `${stamp}.json`)
    await writeFile(
      file,
      `${JSON.stringify(
        {
          started_at: startedAt.toISOString(),
          database: serverUrl ? 'postgres' : 'pglite',
          args,
          request_timeout_ms: requestTimeoutMs,
          requests: total,
          requests_per_second: total / (args.durationMs / 1000),
          figures,
          verdict,
          api_log: { counts: appLog, first: appLogFirst },
        },
        null,
        2,
      )}\n`,
    )
    log(`Written to ${file}`)
    if (!verdict.ok) throw new Error('Soak failed: see the checks above.')
  } finally {
    await server?.close()
    await db.close()
    if (admin) {
      if (!args.keep) await admin.query(`drop database if exists ${dbName} with (force)`)
      else log(`Kept database ${dbName}`)
      await admin.close()
    }
    unguard()
  }
})
