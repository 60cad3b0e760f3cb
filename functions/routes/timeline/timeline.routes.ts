import {
  bearerAuth,
  createApiRoute,
  IdempotencyKeyHeader,
  jsonBody,
  jsonContent,
  problemResponses,
} from '../../http/openapi-common.ts'
import { IdParams, OrgParams } from '../../http/params.ts'
import { NoteCreate, TimelineEvent, TimelinePage, TimelineQuery } from './timeline.schemas.ts'

const tags = ['Timeline']

export const listForCustomer = createApiRoute({
  method: 'get',
  path: '/customers/{id}/timeline',
  tags,
  security: bearerAuth,
  summary: 'A customer’s timeline, newest first, by keyset cursor',
  request: { params: IdParams, query: TimelineQuery },
  responses: { 200: jsonContent(TimelinePage, 'A page of events'), ...problemResponses(404) },
})

export const listForOrg = createApiRoute({
  method: 'get',
  path: '/orgs/{orgId}/timeline',
  tags,
  security: bearerAuth,
  summary: 'The latest events across an organization, newest first, by keyset cursor',
  request: { params: OrgParams, query: TimelineQuery },
  responses: { 200: jsonContent(TimelinePage, 'A page of events'), ...problemResponses(404) },
})

export const addNote = createApiRoute({
  method: 'post',
  path: '/customers/{id}/timeline',
  tags,
  security: bearerAuth,
  summary: 'Add a note to a customer’s timeline, in your name (events are never edited or deleted)',
  request: { params: IdParams, headers: IdempotencyKeyHeader, body: jsonBody(NoteCreate) },
  responses: {
    201: jsonContent(TimelineEvent, 'The note'),
    ...problemResponses(403, 404, 422),
  },
})
