import type { Database, Transaction } from '../db/database.ts'
import { withServiceRole } from '../db/with-user.ts'
import type { JobRunStatus } from '../domain/vocabulary.ts'
import {
  failAbandonedJobRuns,
  finishJobRun,
  insertJobRun,
  type JobRun,
  tryJobGroupLock,
} from '../queries/job-runs.ts'

export type { JobRun }

export interface LockedJob {
  /** Its name in job_runs, e.g. `metrics-nightly`. */
  job: string
  /**
   * The jobs that write the same rows and so share one advisory lock: while one
   * of them runs, the others skip (and a `running` row of theirs left by a
   * crashed process is closed as failed).
   */
  lockedWith: readonly string[]
  /** The work, in one transaction as the service role, holding the lock; returns the rows it wrote. */
  work: (tx: Transaction) => Promise<number>
}

/** A run that failed, after job_runs recorded it; `cause` is what went wrong. */
export class JobFailedError extends Error {
  constructor(
    readonly run: JobRun,
    cause: unknown,
  ) {
    super(`${run.job} run ${run.id} failed: ${run.error}`, { cause })
    this.name = 'JobFailedError'
  }
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error))

/**
 * Runs a job as the service role (it bypasses RLS: only jobs and webhooks may),
 * recorded in job_runs: its row is committed as `running` before any work, so a
 * run that dies is still visible; the work runs in one transaction holding a
 * transaction-level advisory lock (safe behind a transaction-mode pooler), so
 * two runs at once never both work: the second records `skipped`. A failure is
 * recorded with its message, then thrown as a JobFailedError naming the run.
 */
export async function runLockedJobAsServiceRole(
  db: Database,
  { job, lockedWith, work }: LockedJob,
): Promise<JobRun> {
  const group = [...new Set([job, ...lockedWith])]
  const id = await withServiceRole(db, (tx) => insertJobRun(tx, job))
  const finish = (status: JobRunStatus, rows: number | null, error: string | null) =>
    withServiceRole(db, (tx) => finishJobRun(tx, id, { status, rows, error }))

  let rows: number | null
  try {
    rows = await withServiceRole(db, async (tx) => {
      if (!(await tryJobGroupLock(tx, group))) return null
      // Holding the lock, no other run of the group is working: a `running` row is a run that died.
      await failAbandonedJobRuns(tx, id, group)
      return work(tx)
    })
  } catch (error) {
    throw new JobFailedError(await finish('failed', null, messageOf(error)), error)
  }
  return rows === null ? finish('skipped', 0, 'another run held the lock') : finish('succeeded', rows, null)
}
