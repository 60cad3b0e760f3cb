import { createRouter } from '../../http/router.ts'
import * as handlers from './notifications.handlers.ts'
import * as routes from './notifications.routes.ts'

export const notificationsRouter = createRouter()
  .openapi(routes.list, handlers.list)
  .openapi(routes.markAll, handlers.markAll)
  .openapi(routes.patch, handlers.patch)
