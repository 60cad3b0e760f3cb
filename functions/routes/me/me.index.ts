import { createRouter } from '../../http/router.ts'
import * as handlers from './me.handlers.ts'
import * as routes from './me.routes.ts'

export const meRouter = createRouter()
  .openapi(routes.getMe, handlers.getMe)
  .openapi(routes.patchMe, handlers.patchMe)
