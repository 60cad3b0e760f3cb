import { createRouter } from '../../http/router.ts'
import * as handlers from './metrics.handlers.ts'
import * as routes from './metrics.routes.ts'

export const metricsRouter = createRouter().openapi(routes.overview, handlers.overview)
