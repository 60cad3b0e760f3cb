import { createRouter } from '../../http/router.ts'
import * as handlers from './chat.handlers.ts'
import * as routes from './chat.routes.ts'

export const chatRouter = createRouter()
  .openapi(routes.listSessions, handlers.listSessions)
  .openapi(routes.createSession, handlers.createSession)
  .openapi(routes.getSession, handlers.getSession)
  .openapi(routes.renameSession, handlers.renameSession)
  .openapi(routes.removeSession, handlers.removeSession)
  .openapi(routes.listMessages, handlers.listMessages)
  .openapi(routes.createMessage, handlers.createMessage)
