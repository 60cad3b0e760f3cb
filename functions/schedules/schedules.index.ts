import { createRouter } from '../http/router.ts'
import { runScheduleNow } from './schedules.handlers.ts'
import { scheduleRoute } from './schedules.routes.ts'
import { jobsSecretHeaderName } from './schedules.schemas.ts'
import { schedules } from './schedules.ts'

/**
 * One endpoint per declared schedule, for schedulers (pg_cron on Supabase):
 * authenticated by a shared secret, not a user, so mounted before requireUser.
 */
export const jobsRouter = createRouter()
for (const schedule of schedules) jobsRouter.openapi(scheduleRoute(schedule), runScheduleNow(schedule))

jobsRouter.openAPIRegistry.registerComponent('securitySchemes', 'jobsSecret', {
  type: 'apiKey',
  in: 'header',
  name: jobsSecretHeaderName,
  description: 'The API’s JOBS_SECRET',
})
