import type { RouteHandler } from '@hono/zod-openapi'
import type { AppEnv } from '../context.ts'
import { isoTimestamp } from '../http/sql.ts'
import { ApiProblem } from '../problems/problem.ts'
import { cleanUpAbandonedUploadsAsServiceRole } from '../storage/abandoned-uploads.ts'
import { documentStorageFor } from '../storage/document-storage.ts'
import { runNightlyMetricsAsServiceRole } from './daily-metrics.ts'
import { JobFailedError, type JobRun } from './job-runs.ts'
import type * as routes from './jobs.routes.ts'
import { jobsSecretHeaderName } from './jobs.schemas.ts'
import { jobsSecretMatches } from './jobs-secret.ts'

const unauthorized = () =>
  new ApiProblem(
    401,
    'unauthorized',
    'Authentication required',
    `Send the jobs secret in ${jobsSecretHeaderName}.`,
  )

export const nightly: RouteHandler<typeof routes.nightly, AppEnv> = async (c) => {
  const { config, db, clock, log } = c.var.deps
  if (!(await jobsSecretMatches(c.req.header(jobsSecretHeaderName), config.JOBS_SECRET))) throw unauthorized()
  try {
    const run = await runNightlyMetricsAsServiceRole(db, clock())
    log({ level: 'info', msg: 'job run', request_id: c.var.requestId, run })
    const storage = documentStorageFor(config)
    if (storage) {
      const cleanup = await cleanUpAbandonedUploadsAsServiceRole(db, storage, clock())
      log({ level: 'info', msg: 'job run', request_id: c.var.requestId, run: cleanup })
    }
    return c.json(jobRunJson(run), 200)
  } catch (error) {
    if (!(error instanceof JobFailedError)) throw error
    log({ level: 'error', msg: 'job run failed', request_id: c.var.requestId, run: error.run })
    // A failed run is ours, never the scheduler's mistake: a 500 whatever Postgres said.
    throw new ApiProblem(500, 'job_failed', 'The job failed', `Run ${error.run.id} failed; job_runs has why.`)
  }
}

function jobRunJson(run: JobRun) {
  return {
    ...run,
    started_at: isoTimestamp(run.started_at),
    finished_at: run.finished_at === null ? null : isoTimestamp(run.finished_at),
  }
}
