import { createRouter } from '../../http/router.ts'
import * as handlers from './metrics-daily.handlers.ts'
import * as routes from './metrics-daily.routes.ts'

export const metricsDailyRouter = createRouter().openapi(routes.daily, handlers.daily)
