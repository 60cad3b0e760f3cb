// npm run metrics:backfill — fill daily_metrics from the timeline for a range of
// local days (every organization, each in its own time zone; days not over yet
// are left to the nightly run). Safe to repeat: a day computed again is the
// same row. At most 366 days per run (docs/metrics.md).
//   npm run metrics:backfill -- --from 2026-01-01 --to 2026-03-31

import { parseArgs } from 'node:util'
import { backfillDailyMetricsAsServiceRole, backfillRangeProblem } from '../functions/jobs/daily-metrics.ts'
import { openScriptDatabase } from './db/env.ts'
import { runMain } from './db/run-main.ts'

await runMain(async () => {
  const { values } = parseArgs({
    options: { from: { type: 'string' }, to: { type: 'string' } },
    strict: true,
  })
  if (!values.from || !values.to)
    throw new Error('Usage: npm run metrics:backfill -- --from YYYY-MM-DD --to YYYY-MM-DD')
  const range = { from: values.from, to: values.to }
  const problem = backfillRangeProblem(range)
  if (problem) throw new Error(problem)
  const { db, where } = await openScriptDatabase()
  try {
    console.log(`Backfilling daily metrics ${range.from} … ${range.to} on ${where}`)
    const started = performance.now()
    const run = await backfillDailyMetricsAsServiceRole(db, range)
    const seconds = ((performance.now() - started) / 1000).toFixed(1)
    console.log(
      `Run ${run.id}: ${run.status}, ${run.rows ?? 0} rows in ${seconds} s${run.error ? ` (${run.error})` : ''}`,
    )
  } finally {
    await db.close()
  }
})
