import {
  bearerAuth,
  createApiRoute,
  IdempotencyKeyHeader,
  jsonBody,
  jsonContent,
  problemResponses,
} from '../../http/openapi-common.ts'
import { IdParams, PageQuery } from '../../http/params.ts'
import { Activity, ActivityCreate, ActivityPage } from './activities.schemas.ts'

const tags = ['Activities']

export const list = createApiRoute({
  method: 'get',
  path: '/customers/{id}/activities',
  tags,
  security: bearerAuth,
  summary: 'A customer’s logged calls, emails and meetings, latest first, by keyset cursor',
  request: { params: IdParams, query: PageQuery },
  responses: { 200: jsonContent(ActivityPage, 'A page of activities'), ...problemResponses(404) },
})

export const create = createApiRoute({
  method: 'post',
  path: '/customers/{id}/activities',
  tags,
  security: bearerAuth,
  summary: 'Log a call, email or meeting on a customer (its timeline gets the entry)',
  request: { params: IdParams, headers: IdempotencyKeyHeader, body: jsonBody(ActivityCreate) },
  responses: {
    201: jsonContent(Activity, 'The logged activity'),
    ...problemResponses(403, 404, 409, 422),
  },
})
