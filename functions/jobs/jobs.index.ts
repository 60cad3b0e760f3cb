import { createRouter } from '../http/router.ts'
import * as handlers from './jobs.handlers.ts'
import * as routes from './jobs.routes.ts'
import { jobsSecretHeaderName } from './jobs.schemas.ts'

/** Endpoints for schedulers: authenticated by a shared secret, not a user, so mounted before requireUser. */
export const jobsRouter = createRouter().openapi(routes.nightly, handlers.nightly)

jobsRouter.openAPIRegistry.registerComponent('securitySchemes', 'jobsSecret', {
  type: 'apiKey',
  in: 'header',
  name: jobsSecretHeaderName,
  description: 'The API’s JOBS_SECRET',
})
