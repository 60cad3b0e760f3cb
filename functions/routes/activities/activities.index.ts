import { createRouter } from '../../http/router.ts'
import * as handlers from './activities.handlers.ts'
import * as routes from './activities.routes.ts'

export const activitiesRouter = createRouter()
  .openapi(routes.list, handlers.list)
  .openapi(routes.create, handlers.create)
