import {
  bearerAuth,
  createApiRoute,
  jsonBody,
  jsonContent,
  problemResponses,
} from '../../http/openapi-common.ts'
import { OrgParams } from '../../http/params.ts'
import {
  Member,
  MemberListQuery,
  MemberPage,
  MemberParams,
  MemberRoleChange,
  OwnershipTransfer,
} from './members.schemas.ts'

const tags = ['Members']

export const list = createApiRoute({
  method: 'get',
  path: '/orgs/{orgId}/members',
  tags,
  security: bearerAuth,
  summary: 'List an organization’s members with their roles, by display name',
  description:
    'Who can own customers and who the timeline names: every member of the organization sees the others. ' +
    'Email addresses are not included.',
  request: { params: OrgParams, query: MemberListQuery },
  responses: { 200: jsonContent(MemberPage, 'A page of members'), ...problemResponses(404) },
})

export const changeRole = createApiRoute({
  method: 'patch',
  path: '/orgs/{orgId}/members/{userId}',
  tags,
  security: bearerAuth,
  summary: 'Change a member’s role (admins, never above their own; an owner’s role: owners)',
  description: 'An organization keeps at least one owner: demoting the last one answers 422.',
  request: { params: MemberParams, body: jsonBody(MemberRoleChange) },
  responses: {
    200: jsonContent(Member, 'The member, changed'),
    ...problemResponses(403, 404, 422),
  },
})

export const transferOwnership = createApiRoute({
  method: 'post',
  path: '/orgs/{orgId}/members/{userId}/transfer-ownership',
  tags,
  security: bearerAuth,
  summary: 'Hand your ownership to another member: they become owner, you become admin (owners)',
  request: { params: MemberParams },
  responses: {
    200: jsonContent(OwnershipTransfer, 'Both memberships, changed'),
    ...problemResponses(403, 404, 422),
  },
})

export const remove = createApiRoute({
  method: 'delete',
  path: '/orgs/{orgId}/members/{userId}',
  tags,
  security: bearerAuth,
  summary: 'Remove a member, or leave (your own user id)',
  description:
    'Admins remove members below owner, owners anyone; the last owner can neither be removed nor leave (422).',
  request: { params: MemberParams },
  responses: { 204: { description: 'Removed' }, ...problemResponses(403, 404, 422) },
})
