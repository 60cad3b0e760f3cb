import {
  bearerAuth,
  createApiRoute,
  jsonBody,
  jsonContent,
  problemResponses,
} from '../../http/openapi-common.ts'
import { IdParams, OrgParams } from '../../http/params.ts'
import {
  AcceptedInvitation,
  Invitation,
  InvitationCreate,
  InvitationListQuery,
  InvitationPage,
  MyInvitationList,
} from './invitations.schemas.ts'

const tags = ['Invitations']

export const create = createApiRoute({
  method: 'post',
  path: '/orgs/{orgId}/invitations',
  tags,
  security: bearerAuth,
  summary: 'Invite someone by email (admins and owners, never above their own role)',
  description:
    'The invitee becomes a member only by accepting. On Supabase, Auth emails them an invite link ' +
    '(a new account); someone who already has an account finds the invitation in the app. ' +
    'The answer is the same either way.',
  request: { params: OrgParams, body: jsonBody(InvitationCreate) },
  responses: {
    201: jsonContent(Invitation, 'The open invitation'),
    ...problemResponses(403, 404, 409, 422),
  },
})

export const list = createApiRoute({
  method: 'get',
  path: '/orgs/{orgId}/invitations',
  tags,
  security: bearerAuth,
  summary: 'The organization’s invitations, newest first (admins and owners; others see none)',
  request: { params: OrgParams, query: InvitationListQuery },
  responses: {
    200: jsonContent(InvitationPage, 'A page of invitations'),
    ...problemResponses(404),
  },
})

export const revoke = createApiRoute({
  method: 'post',
  path: '/invitations/{id}/revoke',
  tags,
  security: bearerAuth,
  summary: 'Withdraw an open invitation (admins; an owner invitation: owners)',
  request: { params: IdParams },
  responses: {
    200: jsonContent(Invitation, 'The revoked invitation'),
    ...problemResponses(403, 404, 409),
  },
})

export const listMine = createApiRoute({
  method: 'get',
  path: '/me/invitations',
  tags,
  security: bearerAuth,
  summary: 'Invitations to your verified email address that you can still accept',
  responses: { 200: jsonContent(MyInvitationList, 'Your open invitations') },
})

export const accept = createApiRoute({
  method: 'post',
  path: '/invitations/{id}/accept',
  tags,
  security: bearerAuth,
  summary: 'Accept an invitation to your verified email address: you become a member',
  responses: {
    200: jsonContent(AcceptedInvitation, 'Your membership'),
    ...problemResponses(404, 409),
  },
  request: { params: IdParams },
})

export const decline = createApiRoute({
  method: 'post',
  path: '/invitations/{id}/decline',
  tags,
  security: bearerAuth,
  summary: 'Decline an invitation to your verified email address',
  request: { params: IdParams },
  responses: { 204: { description: 'Declined' }, ...problemResponses(404, 409) },
})
