import {
  bearerAuth,
  createApiRoute,
  IdempotencyKeyHeader,
  IfMatchHeader,
  jsonBody,
  jsonContent,
  notModifiedResponse,
  problemResponses,
} from '../../http/openapi-common.ts'
import { IdParams, OrgParams, PageQuery } from '../../http/params.ts'
import {
  ChatMessage,
  ChatMessageCreate,
  ChatMessagePage,
  ChatSession,
  ChatSessionCreate,
  ChatSessionPage,
  ChatSessionPatch,
} from './chat.schemas.ts'

const tags = ['Chat']

export const listSessions = createApiRoute({
  method: 'get',
  path: '/orgs/{orgId}/chat/sessions',
  tags,
  security: bearerAuth,
  summary: 'Your own chat sessions in an organization, most recently active first',
  request: { params: OrgParams, query: PageQuery },
  responses: {
    200: jsonContent(ChatSessionPage, 'A page of your sessions'),
    ...problemResponses(404),
  },
})

export const createSession = createApiRoute({
  method: 'post',
  path: '/orgs/{orgId}/chat/sessions',
  tags,
  security: bearerAuth,
  summary: 'Start a chat session of your own (any member, viewers included)',
  request: {
    params: OrgParams,
    headers: IdempotencyKeyHeader,
    body: { ...jsonBody(ChatSessionCreate), required: false },
  },
  responses: {
    201: jsonContent(ChatSession, 'The new session'),
    ...problemResponses(404, 409, 422),
  },
})

export const getSession = createApiRoute({
  method: 'get',
  path: '/chat/sessions/{id}',
  tags,
  security: bearerAuth,
  summary: 'One of your chat sessions, with its ETag',
  request: { params: IdParams },
  responses: {
    200: jsonContent(ChatSession, 'The session'),
    ...notModifiedResponse,
    ...problemResponses(404),
  },
})

export const renameSession = createApiRoute({
  method: 'patch',
  path: '/chat/sessions/{id}',
  tags,
  security: bearerAuth,
  summary: 'Rename one of your chat sessions',
  request: { params: IdParams, headers: IfMatchHeader, body: jsonBody(ChatSessionPatch) },
  responses: {
    200: jsonContent(ChatSession, 'The renamed session'),
    ...problemResponses(404, 412),
  },
})

export const removeSession = createApiRoute({
  method: 'delete',
  path: '/chat/sessions/{id}',
  tags,
  security: bearerAuth,
  summary: 'Delete one of your chat sessions and its messages',
  request: { params: IdParams, headers: IfMatchHeader },
  responses: { 204: { description: 'Deleted' }, ...problemResponses(404, 412) },
})

export const listMessages = createApiRoute({
  method: 'get',
  path: '/chat/sessions/{id}/messages',
  tags,
  security: bearerAuth,
  summary: 'The messages of one of your sessions, oldest first',
  request: { params: IdParams, query: PageQuery },
  responses: {
    200: jsonContent(ChatMessagePage, 'A page of messages'),
    ...problemResponses(404),
  },
})

export const createMessage = createApiRoute({
  method: 'post',
  path: '/chat/sessions/{id}/messages',
  tags,
  security: bearerAuth,
  summary: 'Append your turn (role user) to one of your sessions',
  request: { params: IdParams, headers: IdempotencyKeyHeader, body: jsonBody(ChatMessageCreate) },
  responses: {
    201: jsonContent(ChatMessage, 'The new message'),
    ...problemResponses(404, 409, 422),
  },
})
