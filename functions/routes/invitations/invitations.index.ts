import { createRouter } from '../../http/router.ts'
import * as handlers from './invitations.handlers.ts'
import * as routes from './invitations.routes.ts'

export const invitationsRouter = createRouter()
  .openapi(routes.create, handlers.create)
  .openapi(routes.list, handlers.list)
  .openapi(routes.revoke, handlers.revoke)
  .openapi(routes.listMine, handlers.listMine)
  .openapi(routes.accept, handlers.accept)
  .openapi(routes.decline, handlers.decline)
