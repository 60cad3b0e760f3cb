import { createRouter } from '../../http/router.ts'
import { customerFilePaths } from '../../queries/documents.ts'
import { removeFilesAfterDelete } from '../../storage/remove-files-after-delete.ts'
import * as handlers from './customers.handlers.ts'
import * as routes from './customers.routes.ts'

export const customersRouter = createRouter()
// A customer's documents go with it (foreign key cascade), and so do their files.
customersRouter.use('/customers/:id', removeFilesAfterDelete(customerFilePaths))
customersRouter
  .openapi(routes.list, handlers.list)
  .openapi(routes.create, handlers.create)
  .openapi(routes.getOne, handlers.getOne)
  .openapi(routes.patch, handlers.patch)
  .openapi(routes.remove, handlers.remove)
