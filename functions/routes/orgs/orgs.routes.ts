import { createRoute } from '@hono/zod-openapi'
import { bearerAuth, jsonBody, jsonContent, problemResponses } from '../../http/openapi-common.ts'
import { Organization, OrganizationCreate } from './orgs.schemas.ts'

export const create = createRoute({
  method: 'post',
  path: '/orgs',
  tags: ['Organizations'],
  security: bearerAuth,
  summary:
    'Create an organization: you become its owner, and its only member until someone accepts an invitation',
  request: { body: jsonBody(OrganizationCreate) },
  responses: {
    201: jsonContent(Organization, 'The new organization'),
    ...problemResponses(400, 401, 413, 422),
  },
})
