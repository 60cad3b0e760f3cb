import { z } from '@hono/zod-openapi'

/** Path and query shapes many resources share. */
export const OrgParams = z.object({ orgId: z.uuid().openapi({ param: { name: 'orgId', in: 'path' } }) })
export const IdParams = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) })

/** A keyset page request: at most 100 rows, 50 unless asked. */
export const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(500).optional().openapi({ description: 'next_cursor of the previous page' }),
})
