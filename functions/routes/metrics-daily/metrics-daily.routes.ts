import { bearerAuth, createApiRoute, jsonContent, problemResponses } from '../../http/openapi-common.ts'
import { OrgParams } from '../../http/params.ts'
import { DailyMetrics, DailyMetricsQuery } from './metrics-daily.schemas.ts'

export const daily = createApiRoute({
  method: 'get',
  path: '/orgs/{orgId}/metrics/daily',
  tags: ['Metrics'],
  security: bearerAuth,
  summary: 'An organization’s figures per local day, from the nightly aggregates, today computed live',
  request: { params: OrgParams, query: DailyMetricsQuery },
  responses: { 200: jsonContent(DailyMetrics, 'The days of the range'), ...problemResponses(404) },
})
