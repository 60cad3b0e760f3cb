import { createRouter } from '../http/router.ts'
import { receiveWebhook } from './receive.ts'
import * as routes from './webhooks.routes.ts'

/** Public routes: mounted before requireUser; each delivery proves itself by its signature. */
export const webhooksRouter = createRouter().openapi(routes.receive, (c) => {
  const { provider, integrationId } = c.req.valid('param')
  return receiveWebhook(c, provider, integrationId)
})
