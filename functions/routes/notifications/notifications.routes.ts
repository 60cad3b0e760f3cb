import {
  bearerAuth,
  createApiRoute,
  jsonBody,
  jsonContent,
  problemResponses,
} from '../../http/openapi-common.ts'
import { IdParams, OrgParams } from '../../http/params.ts'
import {
  MarkedRead,
  Notification,
  NotificationListQuery,
  NotificationPage,
  NotificationPatch,
} from './notifications.schemas.ts'

const tags = ['Notifications']

export const list = createApiRoute({
  method: 'get',
  path: '/orgs/{orgId}/notifications',
  tags,
  security: bearerAuth,
  summary: 'Your notifications in an organization, newest first, with the unread count',
  request: { params: OrgParams, query: NotificationListQuery },
  responses: { 200: jsonContent(NotificationPage, 'A page of your notifications'), ...problemResponses(404) },
})

export const markAll = createApiRoute({
  method: 'post',
  path: '/orgs/{orgId}/notifications/read',
  tags,
  security: bearerAuth,
  summary: 'Mark all your notifications in an organization read',
  request: { params: OrgParams },
  responses: { 200: jsonContent(MarkedRead, 'How many were marked'), ...problemResponses(404) },
})

export const patch = createApiRoute({
  method: 'patch',
  path: '/notifications/{id}',
  tags,
  security: bearerAuth,
  summary: 'Mark one of your notifications read or unread',
  request: { params: IdParams, body: jsonBody(NotificationPatch) },
  responses: { 200: jsonContent(Notification, 'The notification'), ...problemResponses(404) },
})
