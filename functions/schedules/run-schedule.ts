import type { Database } from '../db/database.ts'
import { JobFailedError, type JobRun } from '../jobs/job-runs.ts'
import type { DocumentStorage } from '../storage/document-storage.ts'
import type { JobResult } from './schedules.schemas.ts'

/** What a job runs with, whichever trigger started it. */
export interface JobContext {
  db: Database
  /** Document files' Storage; null where none is configured (the jobs that need it skip). */
  storage: DocumentStorage | null
  /** The job's clock. */
  now: Date
}

export interface ScheduledJob {
  /** Its name in job_runs and in log lines. */
  job: string
  run(context: JobContext): Promise<JobResult>
}

export interface Schedule {
  /** `POST /jobs/<name>`, the pg_cron job's name, the `schedule` of a log line. */
  name: string
  /** Five fields, UTC: wrangler.toml's crons, pg_cron's schedule and the Node timers all read it. */
  cron: string
  summary: string
  /** In order; one failing does not stop the next. */
  jobs: readonly ScheduledJob[]
}

export interface ScheduleRun {
  schedule: string
  jobs: JobResult[]
  failed: JobResult[]
}

/** A job_runs row as a result. */
function fromRun(run: JobRun): JobResult {
  return {
    job: run.job,
    status: run.status === 'running' ? 'failed' : run.status,
    rows: run.rows,
    run_id: run.id,
    error: run.error,
  }
}

/** A job recorded in job_runs (runLockedJobAsServiceRole): its row is its result, failed ones included. */
export function recordedJob(job: string, run: (context: JobContext) => Promise<JobRun>): ScheduledJob {
  return {
    job,
    async run(context) {
      try {
        return fromRun(await run(context))
      } catch (error) {
        if (error instanceof JobFailedError) return fromRun(error.run)
        throw error
      }
    },
  }
}

/** A recorded job on document files: where no Storage is configured it skips, recording nothing. */
export function storageJob(
  job: string,
  run: (context: JobContext, storage: DocumentStorage) => Promise<JobRun>,
): ScheduledJob {
  return {
    job,
    run: (context) =>
      context.storage
        ? recordedJob(job, (c) => run(c, context.storage as DocumentStorage)).run(context)
        : Promise.resolve({
            job,
            status: 'skipped',
            rows: 0,
            run_id: null,
            error: 'Storage is not configured (SUPABASE_URL and a service key)',
          }),
  }
}

/** Runs a schedule's jobs one after the other; a job that throws is reported failed and the next still runs. */
export async function runSchedule(schedule: Schedule, context: JobContext): Promise<ScheduleRun> {
  const jobs: JobResult[] = []
  for (const job of schedule.jobs) {
    try {
      jobs.push(await job.run(context))
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      jobs.push({ job: job.job, status: 'failed', rows: null, run_id: null, error: message })
    }
  }
  return { schedule: schedule.name, jobs, failed: jobs.filter((j) => j.status === 'failed') }
}

/**
 * One log line per job: failures at `error`, a job that succeeded with nothing
 * to do at `debug` (webhook retries run every minute), the rest at `info`.
 */
export function scheduleRunLines(run: ScheduleRun): Record<string, unknown>[] {
  return run.jobs.map((result) => ({
    level:
      result.status === 'failed'
        ? 'error'
        : result.status === 'succeeded' && result.rows === 0
          ? 'debug'
          : 'info',
    event: 'scheduled',
    schedule: run.schedule,
    ...result,
  }))
}
