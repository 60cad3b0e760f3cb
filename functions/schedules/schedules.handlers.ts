import type { RouteHandler } from '@hono/zod-openapi'
import type { AppEnv } from '../context.ts'
import { ApiProblem } from '../problems/problem.ts'
import { documentStorageFor } from '../storage/document-storage.ts'
import { jobsSecretMatches } from './jobs-secret.ts'
import { runSchedule, type Schedule, scheduleRunLines } from './run-schedule.ts'
import type { scheduleRoute } from './schedules.routes.ts'
import { jobsSecretHeaderName } from './schedules.schemas.ts'

const unauthorized = () =>
  new ApiProblem(
    401,
    'unauthorized',
    'Authentication required',
    `Send the jobs secret in ${jobsSecretHeaderName}.`,
  )

/** Runs the schedule now, as the cron would, for a caller holding JOBS_SECRET. */
export const runScheduleNow =
  (schedule: Schedule): RouteHandler<ReturnType<typeof scheduleRoute>, AppEnv> =>
  async (c) => {
    const { config, db, clock, log } = c.var.deps
    if (!(await jobsSecretMatches(c.req.header(jobsSecretHeaderName), config.JOBS_SECRET)))
      throw unauthorized()
    const run = await runSchedule(schedule, { db, storage: documentStorageFor(config), now: clock() })
    for (const line of scheduleRunLines(run)) log({ ...line, request_id: c.var.requestId })
    if (run.failed.length > 0) {
      // A failed job is ours, never the scheduler's mistake: a 500 whatever Postgres said.
      const which = run.failed.map((f) => (f.run_id === null ? f.job : `${f.job} (run ${f.run_id})`))
      throw new ApiProblem(
        500,
        'job_failed',
        'The job failed',
        `${which.join(', ')} failed; job_runs and the log have why.`,
      )
    }
    return c.json({ schedule: run.schedule, jobs: run.jobs }, 200)
  }
