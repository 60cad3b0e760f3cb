import { createRouter } from '../../http/router.ts'
import * as handlers from './orgs.handlers.ts'
import * as routes from './orgs.routes.ts'

export const orgsRouter = createRouter().openapi(routes.create, handlers.create)
