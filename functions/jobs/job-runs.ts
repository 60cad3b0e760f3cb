import type { Database, Transaction } from '../db/database.ts'
import { withServiceRole } from '../db/with-user.ts'
import type { JobRunStatus } from '../domain/vocabulary.ts'

/** One row of job_runs, as a run reports itself. */
export interface JobRun {
  id: number
  job: string
  status: JobRunStatus
  rows: number | null
  error: string | null
  started_at: string
  finished_at: string | null
}

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

/** The key of the advisory lock a group of jobs shares (a stable hash of their sorted names). */
const lockKeySql = `hashtext('jobs:' || array_to_string(array(select unnest($1::text[]) order by 1), ','))`

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
  const started = await withServiceRole(db, (tx) =>
    tx.query<{ id: number }>('insert into public.job_runs (job) values ($1) returning id', [job]),
  )
  const id = Number(started[0]?.id)
  const finish = (status: JobRunStatus, rows: number | null, error: string | null) =>
    withServiceRole(db, async (tx) => {
      const [run] = await tx.query<JobRun>(
        `update public.job_runs set status = $2, rows = $3, error = $4, finished_at = clock_timestamp()
         where id = $1
         returning id::int as id, job, status, rows, error, started_at, finished_at`,
        [id, status, rows, error],
      )
      return run as JobRun
    })

  let rows: number | null
  try {
    rows = await withServiceRole(db, async (tx) => {
      const [lock] = await tx.query<{ locked: boolean }>(
        `select pg_try_advisory_xact_lock(${lockKeySql}) as locked`,
        [`{${group.join(',')}}`],
      )
      if (!lock?.locked) return null
      // Holding the lock, no other run of the group is working: a `running` row is a run that died.
      await tx.query(
        `update public.job_runs
         set status = 'failed', finished_at = clock_timestamp(), error = 'abandoned: the run never finished'
         where status = 'running' and id <> $1 and job = any ($2::text[])`,
        [id, `{${group.join(',')}}`],
      )
      return work(tx)
    })
  } catch (error) {
    throw new JobFailedError(await finish('failed', null, messageOf(error)), error)
  }
  return rows === null ? finish('skipped', 0, 'another run held the lock') : finish('succeeded', rows, null)
}
