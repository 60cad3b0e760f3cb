import type { RouteHandler } from '@hono/zod-openapi'
import type { AppEnv } from '../../context.ts'
import { asCaller } from '../../http/as-caller.ts'
import { type KeysetRow, keysetPage } from '../../http/keyset-page.ts'
import { keysetQuery } from '../../http/keyset-query.ts'
import { assertOrgVisible, readAfterCheck } from '../../http/org-visible.ts'
import type * as routes from './members.routes.ts'

type MemberDbRow = KeysetRow & { user_id: string; display_name: string; username: string; role: 'viewer' }

const sort = { name: 'display_name', column: 'u.display_name', type: 'text', idColumn: 'u.id' }

export const list: RouteHandler<typeof routes.list, AppEnv> = async (c) => {
  const { orgId } = c.req.valid('param')
  const { limit, cursor } = c.req.valid('query')
  const params: unknown[] = [orgId]
  const page = keysetQuery(sort, cursor, limit, params)
  const rows = await asCaller(c, (tx) =>
    readAfterCheck(
      assertOrgVisible(tx, orgId),
      // RLS shows memberships of the caller's organizations and colleagues' profiles.
      tx.query<MemberDbRow>(
        `select u.id, u.id as user_id, u.display_name, u.username, m.role, ${page.sortValue} as sort_value
         from public.memberships m
         join public.users u on u.id = m.user_id
         where m.org_id = $1 ${page.after ? `and ${page.after}` : ''}
         order by ${page.orderBy}
         limit ${page.limit}`,
        params,
      ),
    ),
  )
  return c.json(
    keysetPage(rows, limit, sort.name, (r) => ({
      user_id: r.user_id,
      display_name: r.display_name,
      username: r.username,
      role: r.role,
    })),
    200,
  )
}
