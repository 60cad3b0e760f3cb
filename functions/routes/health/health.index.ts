import { createRoute, z } from '@hono/zod-openapi'
import { jsonContent, problemResponses } from '../../http/openapi-common.ts'
import { createRouter } from '../../http/router.ts'
import { problemResponse, problems } from '../../problems/problem.ts'

const Health = z.object({ status: z.literal('ok') }).openapi('Health')
const DbHealth = Health.extend({
  database: z.enum(['pglite', 'postgres']),
  round_trip_ms: z.number(),
}).openapi('DbHealth')

const processUp = createRoute({
  method: 'get',
  path: '/health',
  tags: ['Health'],
  summary: 'The process is up (no database access)',
  responses: { 200: jsonContent(Health, 'Up') },
})

const databaseUp = createRoute({
  method: 'get',
  path: '/health/db',
  tags: ['Health'],
  summary: 'A database round trip succeeds',
  responses: { 200: jsonContent(DbHealth, 'The database answers'), ...problemResponses(503) },
})

export const healthRouter = createRouter()
  .openapi(processUp, (c) => c.json({ status: 'ok' as const }, 200))
  .openapi(databaseUp, async (c) => {
    const { db } = c.var.deps
    const started = performance.now()
    try {
      await db.query('select 1')
    } catch {
      return problemResponse(c, problems.unavailable('The database does not answer.')) as never
    }
    const round_trip_ms = Math.round((performance.now() - started) * 100) / 100
    return c.json({ status: 'ok' as const, database: db.kind, round_trip_ms }, 200)
  })
