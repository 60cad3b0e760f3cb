import { z } from '@hono/zod-openapi'

export const jobsSecretHeaderName = 'X-Jobs-Secret'

export const JobsSecretHeader = z.object({
  'x-jobs-secret': z
    .string()
    .optional()
    .openapi({ description: 'The JOBS_SECRET the API is configured with (not a user token)' }),
})

/** A run of a job, as job_runs recorded it. */
export const JobRunSchema = z
  .object({
    id: z.number().int(),
    job: z.string(),
    status: z.enum(['running', 'succeeded', 'failed', 'skipped']).openapi({
      description: 'skipped: another run of the same rows was working at the time',
    }),
    rows: z.number().int().min(0).nullable().openapi({ description: 'daily_metrics rows written' }),
    error: z.string().nullable(),
    started_at: z.iso.datetime({ offset: true }),
    finished_at: z.iso.datetime({ offset: true }).nullable(),
  })
  .openapi('JobRun')
