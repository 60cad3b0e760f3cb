import { createRouter } from '../../http/router.ts'
import * as handlers from './members.handlers.ts'
import * as routes from './members.routes.ts'

export const membersRouter = createRouter()
  .openapi(routes.list, handlers.list)
  .openapi(routes.changeRole, handlers.changeRole)
  .openapi(routes.transferOwnership, handlers.transferOwnership)
  .openapi(routes.remove, handlers.remove)
