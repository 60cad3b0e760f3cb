import { bearerAuth, createApiRoute, jsonContent, problemResponses } from '../../http/openapi-common.ts'
import { OrgParams } from '../../http/params.ts'
import { SalesFigures, SalesFiguresQuery } from './sales-figures.schemas.ts'

export const salesFigures = createApiRoute({
  method: 'get',
  path: '/orgs/{orgId}/metrics/sales',
  tags: ['Metrics'],
  security: bearerAuth,
  summary:
    'Pipeline, weighted forecast, wins, win rate and stuck customers, computed now under the caller’s rights',
  request: { params: OrgParams, query: SalesFiguresQuery },
  responses: { 200: jsonContent(SalesFigures, 'The figures'), ...problemResponses(404) },
})
