import type { z } from '@hono/zod-openapi'
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
import {
  Customer,
  CustomerCreate,
  CustomerDetail,
  CustomerListQuery,
  CustomerPage,
  CustomerPatch,
} from './customers.schemas.ts'

const tags = ['Customers']

export const list = createApiRoute({
  method: 'get',
  path: '/orgs/{orgId}/customers',
  tags,
  security: bearerAuth,
  summary: 'List an organization’s customers, newest change first, by keyset cursor',
  request: { params: OrgParams, query: CustomerListQuery },
  responses: { 200: jsonContent(CustomerPage, 'A page of customers'), ...problemResponses(404) },
})

export const create = createApiRoute({
  method: 'post',
  path: '/orgs/{orgId}/customers',
  tags,
  security: bearerAuth,
  summary: 'Create a customer',
  request: { params: OrgParams, headers: IdempotencyKeyHeader, body: jsonBody(CustomerCreate) },
  responses: {
    201: jsonContent(Customer, 'The new customer'),
    ...problemResponses(403, 404, 409, 422),
  },
})

export const getOne = createApiRoute({
  method: 'get',
  path: '/customers/{id}',
  tags,
  security: bearerAuth,
  summary: 'A customer with the counts of its records',
  request: { params: IdParams },
  responses: {
    200: jsonContent(CustomerDetail, 'The customer (ETag: its version and the counts)'),
    ...notModifiedResponse,
    ...problemResponses(404),
  },
})

export const patch = createApiRoute({
  method: 'patch',
  path: '/customers/{id}',
  tags,
  security: bearerAuth,
  summary: 'Change a customer’s name, phase or owner',
  request: { params: IdParams, headers: IfMatchHeader, body: jsonBody(CustomerPatch) },
  responses: {
    200: jsonContent(Customer, 'The changed customer'),
    ...problemResponses(403, 404, 412, 422),
  },
})

export const remove = createApiRoute({
  method: 'delete',
  path: '/customers/{id}',
  tags,
  security: bearerAuth,
  summary: 'Delete a customer and its records (its timeline stays)',
  request: { params: IdParams, headers: IfMatchHeader },
  responses: { 204: { description: 'Deleted' }, ...problemResponses(403, 404, 412) },
})

export type CustomerRow = z.infer<typeof Customer>
