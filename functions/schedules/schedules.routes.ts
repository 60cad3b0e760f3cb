import { createApiRoute, jsonContent, problemResponses } from '../http/openapi-common.ts'
import type { Schedule } from './run-schedule.ts'
import { JobsSecretHeader, ScheduleRunSchema } from './schedules.schemas.ts'

/** `POST /jobs/<name>`: a schedule run now, for Supabase's pg_cron or any scheduler. */
export const scheduleRoute = (schedule: Schedule) =>
  createApiRoute({
    method: 'post',
    path: `/jobs/${schedule.name}`,
    tags: ['Jobs'],
    security: [{ jobsSecret: [] }],
    summary: `${schedule.summary} (cron \`${schedule.cron}\`, UTC)`,
    request: { headers: JobsSecretHeader },
    responses: {
      200: jsonContent(ScheduleRunSchema, 'Every job ran; each says whether it succeeded or skipped'),
      ...problemResponses(500),
    },
  })
