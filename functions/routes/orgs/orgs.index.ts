import { createRouter } from '../../http/router.ts'
import * as handlers from './orgs.handlers.ts'
import * as routes from './orgs.routes.ts'

export const orgsRouter = createRouter()
  .openapi(routes.create, handlers.create)
  .openapi(routes.getSettings, handlers.getSettings)
  .openapi(routes.patchSettings, handlers.patchSettings)
  .openapi(routes.listPhaseSettings, handlers.listPhaseSettings)
  .openapi(routes.patchPhaseSetting, handlers.patchPhaseSetting)
