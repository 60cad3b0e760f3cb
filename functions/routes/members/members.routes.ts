import { createRoute } from '@hono/zod-openapi'
import { bearerAuth, jsonContent, problemResponses } from '../../http/openapi-common.ts'
import { OrgParams } from '../../http/params.ts'
import { MemberListQuery, MemberPage } from './members.schemas.ts'

export const list = createRoute({
  method: 'get',
  path: '/orgs/{orgId}/members',
  tags: ['Members'],
  security: bearerAuth,
  summary: 'List an organization’s members with their roles, by display name',
  description:
    'Who can own customers and who the timeline names: every member of the organization sees the others. ' +
    'Email addresses are not included.',
  request: { params: OrgParams, query: MemberListQuery },
  responses: { 200: jsonContent(MemberPage, 'A page of members'), ...problemResponses(400, 401, 404) },
})
