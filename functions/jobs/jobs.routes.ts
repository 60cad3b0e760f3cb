import { createRoute } from '@hono/zod-openapi'
import { jsonContent, problemResponses } from '../http/openapi-common.ts'
import { JobRunSchema, JobsSecretHeader } from './jobs.schemas.ts'

export const nightly = createRoute({
  method: 'post',
  path: '/jobs/nightly',
  tags: ['Jobs'],
  security: [{ jobsSecret: [] }],
  summary: 'Run the nightly metrics now, catching up on missed days (for Supabase’s scheduler or any cron)',
  request: { headers: JobsSecretHeader },
  responses: {
    200: jsonContent(JobRunSchema, 'The run (succeeded, or skipped because another run was working)'),
    ...problemResponses(401, 500),
  },
})
