// npm run bench — the API against the same SQL sent straight to Postgres (issue 10).
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench npm run bench
//   BENCH_DURATION=5 … (seconds per endpoint and mode, default 10)
// Seeds 100,000 customers and backfills 365 days of daily_metrics when absent,
// starts the Node API in this process, drives it with autocannon from a child
// process, runs the baselines with postgres.js, EXPLAINs every statement,
// then times the dashboard in headless Chromium (scripts/bench/dashboard.ts),
// prints Markdown tables, writes JSON and plans under node_modules/.cache/bench
// and the figures into docs/performance.md. See docs/performance.md.

import { randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import os from 'node:os'
import { resolve } from 'node:path'
import { SignJWT } from 'jose'
import { createApp } from '../functions/app.ts'
import { parseApiConfig } from '../functions/config.ts'
import { createPostgresDatabase } from '../functions/db/postgres.ts'
import type { UserClaims } from '../functions/db/with-user.ts'
import { listen } from '../functions/entries/node.ts'
import { measureDashboard } from './bench/dashboard.ts'
import { ensureDataset, pickFixture } from './bench/dataset.ts'
import { readBenchEnv } from './bench/env.ts'
import { explainEndpoints } from './bench/explain.ts'
import { startHttpLoader } from './bench/http-load.ts'
import { performanceDocument } from './bench/performance-doc.ts'
import {
  apiTable,
  baselineTable,
  checkTargets,
  dashboardSection,
  type EndpointResults,
  generatedSection,
  spliceGenerated,
  targetsTable,
} from './bench/report.ts'
import { endpoints } from './bench/scenarios.ts'
import { runSqlLoad, type SqlMode } from './bench/sql-load.ts'
import type { RunResult } from './bench/stats.ts'
import { redactUrl } from './db/env.ts'
import { runMain } from './db/run-main.ts'

const basePath = '/api'

await runMain(async () => {
  const env = readBenchEnv()
  const log = (line: string) => console.log(line)
  const loadBefore = os.loadavg()
  const sqlDb = createPostgresDatabase(env.DATABASE_URL, { max: env.BENCH_POOL })
  const apiDb = createPostgresDatabase(env.DATABASE_URL, { max: env.BENCH_POOL })
  const loader = startHttpLoader()
  let server: Awaited<ReturnType<typeof listen>> | undefined
  try {
    log(`Bench on ${redactUrl(env.DATABASE_URL)}`)
    await ensureDataset(sqlDb, env.DATABASE_URL, log)
    const fixture = await pickFixture(sqlDb, new Date())
    const [{ version } = { version: '?' }] = await sqlDb.query<{ version: string }>('select version()')
    const [counts] = await sqlDb.query<{ customers: number; events: number; orgs: number; metrics: number }>(
      `select (select count(*) from public.customers)::int as customers,
              (select count(*) from public.timeline_events)::int as events,
              (select count(*) from public.organizations)::int as orgs,
              (select count(*) from public.daily_metrics)::int as metrics`,
    )
    log(
      `Acting as ${fixture.repEmail} (rep) in ${fixture.orgName}, ${fixture.orgCustomers.toLocaleString('en')} customers`,
    )

    const secret = randomBytes(32).toString('hex')
    const config = parseApiConfig({
      SUPABASE_JWT_SECRET: secret,
      DATABASE_URL: env.DATABASE_URL,
      // One log line per request would measure stdout; problems are still written.
      LOG_LEVEL: 'warn',
    })
    // startApiServer, plus a count of requests in progress: autocannon stops at its duration,
    // but the API finishes what it has accepted, and the next run must not start behind them.
    const app = createApp({ db: apiDb, config })
    let inFlight = 0
    server = await listen(
      async (request) => {
        inFlight++
        try {
          return await app.fetch(request)
        } finally {
          inFlight--
        }
      },
      { port: 0, hostname: '127.0.0.1' },
    )
    const drained = async () => {
      const until = performance.now() + 120_000
      while (inFlight > 0 && performance.now() < until) await new Promise((r) => setTimeout(r, 50))
    }
    const token = await new SignJWT({ role: 'authenticated', email: fixture.repEmail })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(fixture.repId)
      .setAudience('authenticated')
      .setIssuedAt()
      .setExpirationTime('2h')
      .sign(new TextEncoder().encode(secret))
    const claims: UserClaims = {
      sub: fixture.repId,
      role: 'authenticated',
      aud: 'authenticated',
      email: fixture.repEmail,
    }

    const selected = endpoints.filter((e) => !env.BENCH_ONLY || e.name.includes(env.BENCH_ONLY))
    // Every request answers 2xx before anything is measured.
    for (const e of selected) {
      const [first] = e.requests(fixture, basePath)
      if (!first) continue
      const res = await fetch(`${server.url}${first.path}`, {
        method: first.method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: first.body === undefined ? undefined : JSON.stringify(first.body),
      })
      if (!res.ok)
        throw new Error(
          `${e.name}: ${first.method} ${first.path} answered ${res.status}: ${await res.text()}`,
        )
    }

    const results: EndpointResults[] = []
    const apiUrl = server.url
    const http = async (name: string, seconds: number) => {
      const e = selected.find((x) => x.name === name)
      if (!e) throw new Error(name)
      const result = await loader.run({
        url: apiUrl,
        connections: env.BENCH_CONNECTIONS,
        seconds,
        token,
        requests: e.requests(fixture, basePath),
      })
      await drained()
      return result
    }
    for (const endpoint of selected) {
      const load0 = os.loadavg()[0] as number
      const sql = async (mode: SqlMode): Promise<RunResult> => {
        const load = { db: sqlDb, mode, endpoint, fixture, claims, connections: env.BENCH_CONNECTIONS }
        if (env.BENCH_WARMUP) await runSqlLoad({ ...load, seconds: env.BENCH_WARMUP })
        const r = await runSqlLoad({ ...load, seconds: env.BENCH_DURATION })
        if (r.firstError) log(`  ${mode}: ${r.errors} errors, the first: ${r.firstError}`)
        log(`  ${endpoint.name} ${mode}: ${Math.round(r.rps)} req/s, p99 ${r.p99.toFixed(1)} ms`)
        return r
      }
      log(`${endpoint.name} (${endpoint.route})`)
      const sqlSuperuser = await sql('sql-superuser')
      const sqlSuperuserTx = await sql('sql-superuser-tx')
      const sqlAuthenticated = await sql('sql-authenticated')
      if (env.BENCH_WARMUP) await http(endpoint.name, env.BENCH_WARMUP)
      const api = await http(endpoint.name, env.BENCH_DURATION)
      log(
        `  ${endpoint.name} api: ${Math.round(api.rps)} req/s, p99 ${api.p99} ms, status ${JSON.stringify(api.statusCodes)}`,
      )
      results.push({
        name: endpoint.name,
        kind: endpoint.kind,
        route: endpoint.route,
        api,
        sqlSuperuser,
        sqlSuperuserTx,
        sqlAuthenticated,
        load: [load0, os.loadavg()[0] as number],
      })
    }

    log('EXPLAIN (ANALYZE, BUFFERS) as authenticated')
    const explained = await explainEndpoints(sqlDb, selected, fixture, claims)
    const loadAfter = os.loadavg()
    const dashboard = env.BENCH_SKIP_DASHBOARD
      ? undefined
      : await measureDashboard({ databaseUrl: env.DATABASE_URL, runs: env.BENCH_DASHBOARD_RUNS, log })

    const stamp = new Date().toISOString().replace(/[:.]/g, '-')
    const dir = resolve('node_modules/.cache/bench')
    await mkdir(dir, { recursive: true })
    const jsonPath = resolve(dir, `results-${stamp}.json`)
    const plansPath = resolve(dir, `plans-${stamp}.txt`)
    const info = {
      date: new Date().toISOString(),
      command: `BENCH_DURATION=${env.BENCH_DURATION} npm run bench`,
      cpus: os.cpus()[0]?.model ?? 'unknown CPU',
      cores: os.cpus().length,
      postgres: version,
      seconds: env.BENCH_DURATION,
      connections: env.BENCH_CONNECTIONS,
      pool: env.BENCH_POOL,
      dataset:
        `${counts?.customers.toLocaleString('en')} customers in ${counts?.orgs} organizations, ` +
        `${counts?.events.toLocaleString('en')} timeline events, ${counts?.metrics.toLocaleString('en')} daily_metrics rows`,
      who: `${fixture.repEmail} (rep) in ${fixture.orgName} (${fixture.orgCustomers.toLocaleString('en')} customers, ${fixture.repCustomers.length} of them the rep's in the PATCH pool)`,
      loadBefore,
      loadAfter,
      resultsPath: jsonPath,
    }
    await writeFile(
      jsonPath,
      `${JSON.stringify({ info, fixture, results, explained, dashboard }, null, 2)}\n`,
    )
    await writeFile(
      plansPath,
      explained
        .map((e) => `=== ${e.endpoint}, statement ${e.statement}\n${e.sql.trim()}\n\n${e.plan}\n`)
        .join('\n'),
    )

    const docPath = resolve('docs/performance.md')
    const existing = await readFile(docPath, 'utf8').catch(() => undefined)
    await writeFile(
      docPath,
      spliceGenerated(existing, generatedSection(info, results, explained, dashboard), performanceDocument()),
    )

    log(`\n## API\n\n${apiTable(results)}\n\n## Baselines and ratios\n\n${baselineTable(results)}`)
    log(`\n## Targets\n\n${targetsTable(checkTargets(results))}`)
    if (dashboard) log(`\n## Dashboard\n\n${dashboardSection(dashboard)}`)
    const flagged = explained.filter((e) => e.findings.seqScans.length || e.findings.helpersPerRow.length)
    for (const e of flagged)
      log(
        `EXPLAIN ${e.endpoint} #${e.statement}: seq scans [${e.findings.seqScans.join('; ')}], RLS helpers per row [${e.findings.helpersPerRow.join(', ')}]`,
      )
    log(`\nResults: ${jsonPath}\nPlans:   ${plansPath}\nTables:  ${docPath}`)
  } finally {
    loader.close()
    await server?.close()
    await apiDb.close()
    await sqlDb.close()
  }
})
