import {
  bearerAuth,
  createApiRoute,
  jsonBody,
  jsonContent,
  problemResponses,
} from '../../http/openapi-common.ts'
import { OrgParams } from '../../http/params.ts'
import {
  Organization,
  OrganizationCreate,
  OrganizationPatch,
  OrganizationSettings,
  PhaseParams,
  PhaseSetting,
  PhaseSettingPatch,
  PhaseSettings,
} from './orgs.schemas.ts'

export const create = createApiRoute({
  method: 'post',
  path: '/orgs',
  tags: ['Organizations'],
  security: bearerAuth,
  summary:
    'Create an organization: you become its owner, and its only member until someone accepts an invitation',
  request: { body: jsonBody(OrganizationCreate) },
  responses: {
    201: jsonContent(Organization, 'The new organization'),
    ...problemResponses(422),
  },
})

export const getSettings = createApiRoute({
  method: 'get',
  path: '/orgs/{orgId}',
  tags: ['Organizations'],
  security: bearerAuth,
  summary: 'An organization’s settings (name, time zone, currency, default hourly rate) and your role',
  request: { params: OrgParams },
  responses: { 200: jsonContent(OrganizationSettings, 'The settings'), ...problemResponses(404) },
})

export const patchSettings = createApiRoute({
  method: 'patch',
  path: '/orgs/{orgId}',
  tags: ['Organizations'],
  security: bearerAuth,
  summary: 'Change an organization’s settings: admins and owners',
  request: { params: OrgParams, body: jsonBody(OrganizationPatch) },
  responses: {
    200: jsonContent(OrganizationSettings, 'The changed settings'),
    ...problemResponses(403, 404, 422),
  },
})

export const listPhaseSettings = createApiRoute({
  method: 'get',
  path: '/orgs/{orgId}/phase-settings',
  tags: ['Organizations'],
  security: bearerAuth,
  summary: 'Each phase’s probability and stuck threshold, in pipeline order',
  request: { params: OrgParams },
  responses: { 200: jsonContent(PhaseSettings, 'Every phase'), ...problemResponses(404) },
})

export const patchPhaseSetting = createApiRoute({
  method: 'patch',
  path: '/orgs/{orgId}/phase-settings/{phase}',
  tags: ['Organizations'],
  security: bearerAuth,
  summary: 'Change a phase’s probability (open phases only) or stuck threshold: admins and owners',
  request: { params: PhaseParams, body: jsonBody(PhaseSettingPatch) },
  responses: {
    200: jsonContent(PhaseSetting, 'The changed phase'),
    ...problemResponses(403, 404, 422),
  },
})
