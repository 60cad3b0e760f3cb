import { z } from '@hono/zod-openapi'
import { createApiRoute, jsonContent } from '../../http/openapi-common.ts'
import { createRouter } from '../../http/router.ts'
import { problems } from '../../problems/problem.ts'

const Health = z.object({ status: z.literal('ok') }).openapi('Health')
const DbHealth = Health.extend({
  database: z.enum(['pglite', 'postgres']),
  round_trip_ms: z.number(),
}).openapi('DbHealth')

const processUp = createApiRoute({
  method: 'get',
  path: '/health',
  tags: ['Health'],
  summary: 'The process is up (no database access)',
  responses: { 200: jsonContent(Health, 'Up') },
})

const databaseUp = createApiRoute({
  method: 'get',
  path: '/health/db',
  tags: ['Health'],
  summary: 'A database round trip succeeds',
  responses: { 200: jsonContent(DbHealth, 'The database answers') },
})

export const healthRouter = createRouter()
  .openapi(processUp, (c) => c.json({ status: 'ok' as const }, 200))
  .openapi(databaseUp, async (c) => {
    const { db } = c.var.deps
    const started = performance.now()
    try {
      await db.query('select 1')
    } catch {
      throw problems.unavailable('The database does not answer.')
    }
    const round_trip_ms = Math.round((performance.now() - started) * 100) / 100
    return c.json({ status: 'ok' as const, database: db.kind, round_trip_ms }, 200)
  })
