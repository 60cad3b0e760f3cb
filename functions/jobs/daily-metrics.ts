import type { Database } from '../db/database.ts'
import { refreshDays, refreshMissedDays } from '../queries/daily-metrics.ts'
import { type JobRun, runLockedJobAsServiceRole } from './job-runs.ts'

export const nightlyJob = 'metrics-nightly'
export const backfillJob = 'metrics-backfill'
const dailyMetricsJobs = [nightlyJob, backfillJob]

/** How far back a nightly run catches up on missed days; older gaps are the backfill's. */
export const maxCatchUpDays = 92
/** The most days one backfill run computes (one transaction); run it again for more. */
export const maxBackfillDays = 366

/**
 * The nightly run: for every organization, the local days from the one after
 * its last stored day (at most `maxCatchUpDays` back) through its yesterday,
 * in its own time zone, so missed nights are caught up; yesterday is always
 * recomputed (the same rows if nothing changed). `now` is the job's clock.
 */
export function runNightlyMetricsAsServiceRole(db: Database, now: Date = new Date()): Promise<JobRun> {
  return runLockedJobAsServiceRole(db, {
    job: nightlyJob,
    lockedWith: dailyMetricsJobs,
    work: (tx) => refreshMissedDays(tx, now, maxCatchUpDays),
  })
}

export interface BackfillRange {
  /** First local day, YYYY-MM-DD. */
  from: string
  /** Last local day, YYYY-MM-DD; days not yet over in an organization's time zone are left out. */
  to: string
}

/** A YYYY-MM-DD that is a real date. */
export function isIsoDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value)
}

/** Days from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1
}

/** Why a backfill range is refused, or undefined when it is fine. */
export function backfillRangeProblem({ from, to }: BackfillRange): string | undefined {
  if (!isIsoDate(from)) return `--from must be a date (YYYY-MM-DD), not "${from}"`
  if (!isIsoDate(to)) return `--to must be a date (YYYY-MM-DD), not "${to}"`
  const days = daysBetween(from, to)
  if (days < 1) return '--from must not be after --to'
  if (days > maxBackfillDays)
    return `at most ${maxBackfillDays} days per run (asked for ${days}): split the range`
  return undefined
}

/**
 * Fills (or refills) daily_metrics for every organization over a range of
 * local days from the timeline. Days that have not ended yet in an
 * organization's time zone are skipped: today is computed live by the API.
 */
export function backfillDailyMetricsAsServiceRole(
  db: Database,
  range: BackfillRange,
  now: Date = new Date(),
): Promise<JobRun> {
  const problem = backfillRangeProblem(range)
  if (problem) return Promise.reject(new RangeError(problem))
  return runLockedJobAsServiceRole(db, {
    job: backfillJob,
    lockedWith: dailyMetricsJobs,
    work: (tx) => refreshDays(tx, range, now),
  })
}
