import { createRouter } from '../../http/router.ts'
import * as handlers from './sales-figures.handlers.ts'
import * as routes from './sales-figures.routes.ts'

export const salesFiguresRouter = createRouter().openapi(routes.salesFigures, handlers.salesFigures)
