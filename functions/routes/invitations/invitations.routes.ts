import { createRoute } from '@hono/zod-openapi'
import { bearerAuth, jsonBody, jsonContent, problemResponses } from '../../http/openapi-common.ts'
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

export const create = createRoute({
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
    ...problemResponses(400, 401, 403, 404, 409, 413, 422, 503),
  },
})

export const list = createRoute({
  method: 'get',
  path: '/orgs/{orgId}/invitations',
  tags,
  security: bearerAuth,
  summary: 'The organization’s invitations, newest first (admins and owners; others see none)',
  request: { params: OrgParams, query: InvitationListQuery },
  responses: {
    200: jsonContent(InvitationPage, 'A page of invitations'),
    ...problemResponses(400, 401, 404),
  },
})

export const revoke = createRoute({
  method: 'post',
  path: '/invitations/{id}/revoke',
  tags,
  security: bearerAuth,
  summary: 'Withdraw an open invitation (admins; an owner invitation: owners)',
  request: { params: IdParams },
  responses: {
    200: jsonContent(Invitation, 'The revoked invitation'),
    ...problemResponses(401, 403, 404, 409),
  },
})

export const listMine = createRoute({
  method: 'get',
  path: '/me/invitations',
  tags,
  security: bearerAuth,
  summary: 'Invitations to your verified email address that you can still accept',
  responses: { 200: jsonContent(MyInvitationList, 'Your open invitations'), ...problemResponses(401) },
})

export const accept = createRoute({
  method: 'post',
  path: '/invitations/{id}/accept',
  tags,
  security: bearerAuth,
  summary: 'Accept an invitation to your verified email address: you become a member',
  responses: {
    200: jsonContent(AcceptedInvitation, 'Your membership'),
    ...problemResponses(401, 404, 409),
  },
  request: { params: IdParams },
})

export const decline = createRoute({
  method: 'post',
  path: '/invitations/{id}/decline',
  tags,
  security: bearerAuth,
  summary: 'Decline an invitation to your verified email address',
  request: { params: IdParams },
  responses: { 204: { description: 'Declined' }, ...problemResponses(401, 404, 409) },
})
