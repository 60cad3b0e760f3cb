import { createRoute } from '@hono/zod-openapi'
import { bearerAuth, jsonBody, jsonContent, problemResponses } from '../../http/openapi-common.ts'
import { Me, MePatch } from './me.schemas.ts'

const tags = ['Me']

export const getMe = createRoute({
  method: 'get',
  path: '/me',
  tags,
  security: bearerAuth,
  summary: 'Your profile and your memberships',
  responses: { 200: jsonContent(Me, 'You'), ...problemResponses(401, 404) },
})

export const patchMe = createRoute({
  method: 'patch',
  path: '/me',
  tags,
  security: bearerAuth,
  summary: 'Change your display name or username',
  request: { body: jsonBody(MePatch) },
  responses: { 200: jsonContent(Me, 'You, changed'), ...problemResponses(400, 401, 404, 409, 413) },
})
