import type { RouteHandler } from '@hono/zod-openapi'
import type { AppEnv } from '../../context.ts'
import { asCaller } from '../../http/as-caller.ts'
import { isoTimestamp } from '../../http/sql.ts'
import type * as routes from './orgs.routes.ts'

/**
 * Open to every signed-in user. Membership is by accepted invitation only, so
 * an organization of your own reaches nobody else: it holds only what you put
 * in it until someone you invite accepts. Its creator (the database stamps
 * created_by) is made its owner by the organizations_add_creator_as_owner trigger.
 */
export const create: RouteHandler<typeof routes.create, AppEnv> = async (c) => {
  const { name, time_zone } = c.req.valid('json')
  const [row] = await asCaller(c, (tx) =>
    // An unknown time zone breaks organizations_time_zone_known: 422.
    tx.query<{ id: string; name: string; time_zone: string; created_at: unknown }>(
      `insert into public.organizations (name, time_zone) values ($1, coalesce($2, 'UTC'))
       returning id, name, time_zone, created_at`,
      [name, time_zone ?? null],
    ),
  )
  if (!row) throw new Error('the new organization was not returned')
  return c.json({ ...row, role: 'owner' as const, created_at: isoTimestamp(row.created_at) }, 201)
}
