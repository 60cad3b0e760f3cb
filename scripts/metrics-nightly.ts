// npm run metrics:nightly — the nightly metrics once, now: every organization's
// days since its last stored one (at most 92) through its yesterday, in its own
// time zone, recorded in job_runs. The Worker's cron and POST /jobs/nightly run
// the same job (docs/metrics.md).
//   npm run metrics:nightly
//   npm run metrics:nightly -- --now 2026-03-11T07:00:00Z   as if it were then

import { parseArgs } from 'node:util'
import { runNightlyMetricsAsServiceRole } from '../functions/jobs/daily-metrics.ts'
import { openScriptDatabase } from './db/env.ts'
import { runMain } from './db/run-main.ts'

await runMain(async () => {
  const { values } = parseArgs({ options: { now: { type: 'string' } }, strict: true })
  const now = values.now === undefined ? new Date() : new Date(values.now)
  if (Number.isNaN(now.getTime())) throw new Error(`--now must be an ISO timestamp, not "${values.now}"`)
  const { db, where } = await openScriptDatabase()
  try {
    console.log(`Nightly metrics on ${where}, as of ${now.toISOString()}`)
    const started = performance.now()
    const run = await runNightlyMetricsAsServiceRole(db, now)
    const seconds = ((performance.now() - started) / 1000).toFixed(1)
    console.log(
      `Run ${run.id}: ${run.status}, ${run.rows ?? 0} rows in ${seconds} s${run.error ? ` (${run.error})` : ''}`,
    )
  } finally {
    await db.close()
  }
})
