import {
  bearerAuth,
  createApiRoute,
  jsonBody,
  jsonContent,
  problemResponses,
} from '../../http/openapi-common.ts'
import { Me, MePatch } from './me.schemas.ts'

const tags = ['Me']

export const getMe = createApiRoute({
  method: 'get',
  path: '/me',
  tags,
  security: bearerAuth,
  summary: 'Your profile and your memberships',
  responses: { 200: jsonContent(Me, 'You'), ...problemResponses(404) },
})

export const patchMe = createApiRoute({
  method: 'patch',
  path: '/me',
  tags,
  security: bearerAuth,
  summary: 'Change your display name or username',
  request: { body: jsonBody(MePatch) },
  responses: { 200: jsonContent(Me, 'You, changed'), ...problemResponses(404, 409) },
})
