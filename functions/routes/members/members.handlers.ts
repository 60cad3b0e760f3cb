import type { RouteHandler } from '@hono/zod-openapi'
import type { AppEnv } from '../../context.ts'
import type { Queryable } from '../../db/database.ts'
import type { MembershipRole } from '../../domain/vocabulary.ts'
import { asCaller } from '../../http/as-caller.ts'
import { type KeysetRow, keysetPage } from '../../http/keyset-page.ts'
import { keysetQuery } from '../../http/keyset-query.ts'
import { assertOrgVisible, readAfterCheck } from '../../http/org-visible.ts'
import { problems } from '../../problems/problem.ts'
import type * as routes from './members.routes.ts'

type MemberDbRow = KeysetRow & {
  user_id: string
  display_name: string
  username: string
  role: MembershipRole
}

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

type MemberRow = {
  user_id: string
  display_name: string
  username: string
  role: MembershipRole
}

/** One member as any member sees them (RLS: memberships of the caller's organizations, colleagues' profiles). */
async function readMember(tx: Queryable, orgId: string, userId: string): Promise<MemberRow | undefined> {
  const [row] = await tx.query<MemberRow>(
    `select u.id as user_id, u.display_name, u.username, m.role
     from public.memberships m join public.users u on u.id = m.user_id
     where m.org_id = $1 and m.user_id = $2`,
    [orgId, userId],
  )
  return row
}

/** After a change under RLS touched no row: a member the caller cannot see (404) or may not change (403). */
async function explainUnchanged(tx: Queryable, orgId: string, userId: string): Promise<never> {
  if (!(await readMember(tx, orgId, userId))) throw problems.notFound('member')
  throw problems.forbidden(
    'Admins change and remove members below owner; only owners change or remove an owner.',
  )
}

// The last owner's demotion or removal is refused by memberships_keep_last_owner (23514 → 422).

export const changeRole: RouteHandler<typeof routes.changeRole, AppEnv> = async (c) => {
  const { orgId, userId } = c.req.valid('param')
  const { role } = c.req.valid('json')
  const member = await asCaller(c, async (tx) => {
    const updated = await tx.query(
      'update public.memberships set role = $3 where org_id = $1 and user_id = $2 returning 1',
      [orgId, userId, role],
    )
    if (updated.length === 0) await explainUnchanged(tx, orgId, userId)
    return readMember(tx, orgId, userId)
  })
  if (!member) throw problems.notFound('member')
  return c.json(member, 200)
}

export const transferOwnership: RouteHandler<typeof routes.transferOwnership, AppEnv> = async (c) => {
  const { orgId, userId } = c.req.valid('param')
  const { sub } = c.var.claims
  if (userId === sub) {
    throw problems.unprocessable('transfer_to_self', 'Name the member who is to own the organization.')
  }
  const result = await asCaller(c, async (tx) => {
    const [me, them] = await Promise.all([readMember(tx, orgId, sub), readMember(tx, orgId, userId)])
    if (!me) throw problems.notFound('organization')
    if (!them) throw problems.notFound('member')
    if (me.role !== 'owner') throw problems.forbidden('Only an owner hands over ownership.')
    // Promote first, so the organization never lacks an owner between the two statements.
    await tx.query(`update public.memberships set role = 'owner' where org_id = $1 and user_id = $2`, [
      orgId,
      userId,
    ])
    await tx.query(`update public.memberships set role = 'admin' where org_id = $1 and user_id = $2`, [
      orgId,
      sub,
    ])
    return Promise.all([readMember(tx, orgId, userId), readMember(tx, orgId, sub)])
  })
  const [newOwner, previousOwner] = result
  if (!newOwner || !previousOwner) throw new Error('a member vanished during the ownership transfer')
  return c.json({ new_owner: newOwner, previous_owner: previousOwner }, 200)
}

export const remove: RouteHandler<typeof routes.remove, AppEnv> = async (c) => {
  const { orgId, userId } = c.req.valid('param')
  await asCaller(c, async (tx) => {
    const deleted = await tx.query(
      'delete from public.memberships where org_id = $1 and user_id = $2 returning 1',
      [orgId, userId],
    )
    if (deleted.length === 0) await explainUnchanged(tx, orgId, userId)
  })
  return c.body(null, 204)
}
