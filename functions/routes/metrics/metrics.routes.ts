import { bearerAuth, createApiRoute, jsonContent, problemResponses } from '../../http/openapi-common.ts'
import { OrgParams } from '../../http/params.ts'
import { MetricsOverview } from './metrics.schemas.ts'

export const overview = createApiRoute({
  method: 'get',
  path: '/orgs/{orgId}/metrics/overview',
  tags: ['Metrics'],
  security: bearerAuth,
  summary: 'The dashboard’s numbers for an organization, computed now from its rows',
  request: { params: OrgParams },
  responses: { 200: jsonContent(MetricsOverview, 'The overview'), ...problemResponses(404) },
})
