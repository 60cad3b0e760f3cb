import { createRouter } from '../../http/router.ts'
import * as handlers from './timeline.handlers.ts'
import * as routes from './timeline.routes.ts'

/** Reading the timeline and adding notes; there are no routes to edit or delete an event. */
export const timelineRouter = createRouter()
  .openapi(routes.listForCustomer, handlers.listForCustomer)
  .openapi(routes.listForOrg, handlers.listForOrg)
  .openapi(routes.addNote, handlers.addNote)
