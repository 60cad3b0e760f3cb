import { createRouter } from '../../http/router.ts'
import * as handlers from './integrations.handlers.ts'
import * as routes from './integrations.routes.ts'

export const integrationsRouter = createRouter()
  .openapi(routes.list, handlers.list)
  .openapi(routes.create, handlers.create)
  .openapi(routes.getOne, handlers.getOne)
  .openapi(routes.patch, handlers.patch)
  .openapi(routes.remove, handlers.remove)
  .openapi(routes.listEvents, handlers.listEvents)
  .openapi(routes.replay, handlers.replay)
