import { createRoute } from '@hono/zod-openapi'
import { bearerAuth, jsonBody, jsonContent, problemResponses } from '../../http/openapi-common.ts'
import { IdParams, OrgParams } from '../../http/params.ts'
import {
  Integration,
  IntegrationCreate,
  IntegrationList,
  IntegrationPatch,
  IntegrationWithSecret,
  Replayed,
  WebhookEventList,
  WebhookEventQuery,
} from './integrations.schemas.ts'

const tags = ['Integrations']

export const list = createRoute({
  method: 'get',
  path: '/orgs/{orgId}/integrations',
  tags,
  security: bearerAuth,
  summary: 'The organization’s CRM integrations (admins and owners)',
  request: { params: OrgParams },
  responses: { 200: jsonContent(IntegrationList, 'Its integrations'), ...problemResponses(401, 404) },
})

export const create = createRoute({
  method: 'post',
  path: '/orgs/{orgId}/integrations',
  tags,
  security: bearerAuth,
  summary: 'Connect a CRM; the answer carries its secret, the only time it is shown',
  request: { params: OrgParams, body: jsonBody(IntegrationCreate) },
  responses: {
    201: jsonContent(IntegrationWithSecret, 'The new integration, with its secret'),
    ...problemResponses(400, 401, 403, 404, 413),
  },
})

export const getOne = createRoute({
  method: 'get',
  path: '/integrations/{id}',
  tags,
  security: bearerAuth,
  summary: 'An integration (never its secret)',
  request: { params: IdParams },
  responses: { 200: jsonContent(Integration, 'The integration'), ...problemResponses(401, 404) },
})

export const patch = createRoute({
  method: 'patch',
  path: '/integrations/{id}',
  tags,
  security: bearerAuth,
  summary: 'Enable, disable, rename, change the mapping or rotate the secret',
  request: { params: IdParams, body: jsonBody(IntegrationPatch) },
  responses: {
    200: jsonContent(Integration, 'The changed integration'),
    ...problemResponses(400, 401, 404, 413),
  },
})

export const remove = createRoute({
  method: 'delete',
  path: '/integrations/{id}',
  tags,
  security: bearerAuth,
  summary: 'Disconnect a CRM (its stored events go with it; synced customers stay)',
  request: { params: IdParams },
  responses: { 204: { description: 'Deleted' }, ...problemResponses(401, 404) },
})

export const listEvents = createRoute({
  method: 'get',
  path: '/orgs/{orgId}/webhook-events',
  tags,
  security: bearerAuth,
  summary: 'Received webhook events by status: the dead letters unless asked (admins and owners)',
  request: { params: OrgParams, query: WebhookEventQuery },
  responses: {
    200: jsonContent(WebhookEventList, 'Events, newest first'),
    ...problemResponses(400, 401, 404),
  },
})

export const replay = createRoute({
  method: 'post',
  path: '/webhook-events/{id}/replay',
  tags,
  security: bearerAuth,
  summary: 'Process a dead-lettered or failed event again, with a fresh attempt budget',
  request: { params: IdParams },
  responses: { 202: jsonContent(Replayed, 'Queued and being processed'), ...problemResponses(401, 404, 409) },
})
