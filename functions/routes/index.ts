import { customersRouter } from './customers/customers.index.ts'

/**
 * Resource routers that need a signed-in user, mounted under the base path.
 * Adding a resource = one folder under routes/ + one line here.
 */
export const userRouters = [customersRouter]
