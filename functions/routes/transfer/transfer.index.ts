import { createRouter } from '../../http/router.ts'
import * as handlers from './transfer.handlers.ts'
import * as routes from './transfer.routes.ts'

export const transferRouter = createRouter()
  .openapi(routes.exportCustomers, handlers.exportCustomersCsv)
  .openapi(routes.exportContacts, handlers.exportContactsCsv)
  .openapi(routes.importCustomers, handlers.importCustomersHandler)
  .openapi(routes.importContacts, handlers.importContactsHandler)
