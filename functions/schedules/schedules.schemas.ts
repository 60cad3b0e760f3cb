import { z } from '@hono/zod-openapi'
import { jobRunStatuses } from '../domain/vocabulary.ts'

export const jobsSecretHeaderName = 'X-Jobs-Secret'

export const JobsSecretHeader = z.object({
  'x-jobs-secret': z
    .string()
    .optional()
    .openapi({ description: 'The JOBS_SECRET the API is configured with (not a user token)' }),
})

/** What one job of a schedule did; every trigger (cron, timer, endpoint) reports the same. */
export const JobResultSchema = z
  .object({
    job: z.string().openapi({ example: 'metrics-nightly' }),
    status: z.enum(jobRunStatuses).exclude(['running']).openapi({
      description:
        'skipped: another run of the same rows was working, or what the job needs (Storage) is not configured',
    }),
    rows: z
      .number()
      .int()
      .min(0)
      .nullable()
      .openapi({ description: 'rows the job wrote, or webhook events it handled; null when it failed' }),
    run_id: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'its row in job_runs, for the jobs recorded there' }),
    error: z.string().nullable(),
    outcomes: z
      .record(z.string(), z.number().int().min(0))
      .optional()
      .openapi({ description: 'webhook retries: the events by outcome (processed, failed, dead, …)' }),
  })
  .openapi('JobResult')

export type JobResult = z.infer<typeof JobResultSchema>

/** A schedule's run: its jobs in order, each run even when one before it failed. */
export const ScheduleRunSchema = z
  .object({
    schedule: z.string().openapi({ example: 'nightly' }),
    jobs: z.array(JobResultSchema),
  })
  .openapi('ScheduleRun')
