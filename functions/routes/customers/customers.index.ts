import { createRouter } from '../../http/router.ts'
import * as handlers from './customers.handlers.ts'
import * as routes from './customers.routes.ts'

export const customersRouter = createRouter()
  .openapi(routes.list, handlers.list)
  .openapi(routes.create, handlers.create)
  .openapi(routes.getOne, handlers.getOne)
  .openapi(routes.patch, handlers.patch)
  .openapi(routes.remove, handlers.remove)
