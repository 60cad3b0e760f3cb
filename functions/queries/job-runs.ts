import type { Queryable } from '../db/database.ts'
import { sql } from '../db/sql.ts'
import type { JobRunStatus } from '../domain/vocabulary.ts'

/**
 * job_runs, the record of scheduled work, and the advisory lock a group of
 * jobs shares (functions/jobs/job-runs.ts runs a job with them). As the
 * service role: only jobs write here.
 */

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

/** Records a run as `running` and returns its id. */
export async function insertJobRun(tx: Queryable, job: string): Promise<number> {
  const [row] = await tx.query<{ id: number }>(
    sql`insert into public.job_runs (job) values (${job}) returning id`,
  )
  return Number(row?.id)
}

/** Records how a run ended, stamped with the database's clock. */
export async function finishJobRun(
  tx: Queryable,
  id: number,
  { status, rows, error }: { status: JobRunStatus; rows: number | null; error: string | null },
): Promise<JobRun> {
  const [run] = await tx.query<JobRun>(
    sql`update public.job_runs set status = ${status}, rows = ${rows}, error = ${error}, finished_at = clock_timestamp()
        where id = ${id}
        returning id::int as id, job, status, rows, error, started_at, finished_at`,
  )
  return run as JobRun
}

/**
 * Takes the group's transaction-level advisory lock if no one holds it (safe
 * behind a transaction-mode pooler). The key is a stable hash of the group's
 * sorted names, so every job of a group takes the same lock.
 */
export async function tryJobGroupLock(tx: Queryable, group: readonly string[]): Promise<boolean> {
  const names = sql`array(select jsonb_array_elements_text(${sql.json(group)}) order by 1)`
  const [lock] = await tx.query<{ locked: boolean }>(
    sql`select pg_try_advisory_xact_lock(hashtext('jobs:' || array_to_string(${names}, ','))) as locked`,
  )
  return lock?.locked === true
}

/** Closes the group's other `running` rows as failed: holding the lock, they are runs that died. */
export async function failAbandonedJobRuns(
  tx: Queryable,
  id: number,
  group: readonly string[],
): Promise<void> {
  await tx.query(
    sql`update public.job_runs
        set status = 'failed', finished_at = clock_timestamp(), error = 'abandoned: the run never finished'
        where status = 'running' and id <> ${id}
          and job in (select jsonb_array_elements_text(${sql.json(group)}))`,
  )
}
