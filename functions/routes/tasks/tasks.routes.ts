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
import { IdParams, OrgParams } from '../../http/params.ts'
import { Task, TaskCreate, TaskListQuery, TaskPage, TaskPatch } from './tasks.schemas.ts'

const tags = ['Tasks']

export const list = createApiRoute({
  method: 'get',
  path: '/orgs/{orgId}/tasks',
  tags,
  security: bearerAuth,
  summary: 'List an organization’s tasks (open ones, first due first, unless asked), by keyset cursor',
  request: { params: OrgParams, query: TaskListQuery },
  responses: { 200: jsonContent(TaskPage, 'A page of tasks'), ...problemResponses(404) },
})

export const create = createApiRoute({
  method: 'post',
  path: '/customers/{id}/tasks',
  tags,
  security: bearerAuth,
  summary: 'Add a task to a customer',
  request: { params: IdParams, headers: IdempotencyKeyHeader, body: jsonBody(TaskCreate) },
  responses: {
    201: jsonContent(Task, 'The new task'),
    ...problemResponses(403, 404, 409, 422),
  },
})

export const getOne = createApiRoute({
  method: 'get',
  path: '/tasks/{id}',
  tags,
  security: bearerAuth,
  summary: 'A task, with its ETag',
  request: { params: IdParams },
  responses: {
    200: jsonContent(Task, 'The task'),
    ...notModifiedResponse,
    ...problemResponses(404),
  },
})

export const patch = createApiRoute({
  method: 'patch',
  path: '/tasks/{id}',
  tags,
  security: bearerAuth,
  summary: 'Change, complete or reopen a task',
  request: { params: IdParams, headers: IfMatchHeader, body: jsonBody(TaskPatch) },
  responses: {
    200: jsonContent(Task, 'The changed task'),
    ...problemResponses(403, 404, 412, 422),
  },
})

export const remove = createApiRoute({
  method: 'delete',
  path: '/tasks/{id}',
  tags,
  security: bearerAuth,
  summary: 'Delete a task',
  request: { params: IdParams, headers: IfMatchHeader },
  responses: { 204: { description: 'Deleted' }, ...problemResponses(403, 404, 412) },
})
