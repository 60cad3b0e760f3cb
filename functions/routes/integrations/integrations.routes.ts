import {
  bearerAuth,
  createApiRoute,
  jsonBody,
  jsonContent,
  problemResponses,
} from '../../http/openapi-common.ts'
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

export const list = createApiRoute({
  method: 'get',
  path: '/orgs/{orgId}/integrations',
  tags,
  security: bearerAuth,
  summary: 'The organization’s CRM integrations (admins and owners)',
  request: { params: OrgParams },
  responses: { 200: jsonContent(IntegrationList, 'Its integrations'), ...problemResponses(404) },
})

export const create = createApiRoute({
  method: 'post',
  path: '/orgs/{orgId}/integrations',
  tags,
  security: bearerAuth,
  summary: 'Connect a CRM; the answer carries its secret, the only time it is shown',
  request: { params: OrgParams, body: jsonBody(IntegrationCreate) },
  responses: {
    201: jsonContent(IntegrationWithSecret, 'The new integration, with its secret'),
    ...problemResponses(403, 404),
  },
})

export const getOne = createApiRoute({
  method: 'get',
  path: '/integrations/{id}',
  tags,
  security: bearerAuth,
  summary: 'An integration (never its secret)',
  request: { params: IdParams },
  responses: { 200: jsonContent(Integration, 'The integration'), ...problemResponses(404) },
})

export const patch = createApiRoute({
  method: 'patch',
  path: '/integrations/{id}',
  tags,
  security: bearerAuth,
  summary: 'Enable, disable, rename, change the mapping or rotate the secret',
  request: { params: IdParams, body: jsonBody(IntegrationPatch) },
  responses: {
    200: jsonContent(Integration, 'The changed integration'),
    ...problemResponses(404),
  },
})

export const remove = createApiRoute({
  method: 'delete',
  path: '/integrations/{id}',
  tags,
  security: bearerAuth,
  summary: 'Disconnect a CRM (its stored events go with it; synced customers stay)',
  request: { params: IdParams },
  responses: { 204: { description: 'Deleted' }, ...problemResponses(404) },
})

export const listEvents = createApiRoute({
  method: 'get',
  path: '/orgs/{orgId}/webhook-events',
  tags,
  security: bearerAuth,
  summary: 'Received webhook events by status: the dead letters unless asked (admins and owners)',
  request: { params: OrgParams, query: WebhookEventQuery },
  responses: {
    200: jsonContent(WebhookEventList, 'Events, newest first'),
    ...problemResponses(404),
  },
})

export const replay = createApiRoute({
  method: 'post',
  path: '/webhook-events/{id}/replay',
  tags,
  security: bearerAuth,
  summary: 'Process a dead-lettered or failed event again, with a fresh attempt budget',
  request: { params: IdParams },
  responses: { 202: jsonContent(Replayed, 'Queued and being processed'), ...problemResponses(404, 409) },
})
