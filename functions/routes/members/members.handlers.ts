import type { RouteHandler } from '@hono/zod-openapi'
import type { AppEnv } from '../../context.ts'
import { decodeCursor } from '../../http/cursor.ts'
import { keysetPage } from '../../http/keyset-page.ts'
import { problems } from '../../problems/problem.ts'
import { asCaller } from '../../queries/as-caller.ts'
import {
  transferOwnership as handOver,
  listMembers,
  memberSort,
  removeMember,
  changeRole as updateRole,
} from '../../queries/members.ts'
import type * as routes from './members.routes.ts'

export const list: RouteHandler<typeof routes.list, AppEnv> = async (c) => {
  const { orgId } = c.req.valid('param')
  const { limit, cursor } = c.req.valid('query')
  const after = decodeCursor(cursor, memberSort.name)
  const rows = await asCaller(c, (tx) => listMembers(tx, orgId, { limit, after }))
  return c.json(
    keysetPage(rows, limit, memberSort.name, (r) => ({
      user_id: r.user_id,
      display_name: r.display_name,
      username: r.username,
      role: r.role,
    })),
    200,
  )
}

// The last owner's demotion or removal is refused by memberships_keep_last_owner (23514 → 422).

export const changeRole: RouteHandler<typeof routes.changeRole, AppEnv> = async (c) => {
  const { orgId, userId } = c.req.valid('param')
  const { role } = c.req.valid('json')
  const member = await asCaller(c, (tx) => updateRole(tx, orgId, userId, role))
  if (!member) throw problems.notFound('member')
  return c.json(member, 200)
}

export const transferOwnership: RouteHandler<typeof routes.transferOwnership, AppEnv> = async (c) => {
  const { orgId, userId } = c.req.valid('param')
  const { sub } = c.var.claims
  if (userId === sub) {
    throw problems.unprocessable('transfer_to_self', 'Name the member who is to own the organization.')
  }
  const result = await asCaller(c, (tx) => handOver(tx, orgId, sub, userId))
  const [newOwner, previousOwner] = result
  if (!newOwner || !previousOwner) throw new Error('a member vanished during the ownership transfer')
  return c.json({ new_owner: newOwner, previous_owner: previousOwner }, 200)
}

export const remove: RouteHandler<typeof routes.remove, AppEnv> = async (c) => {
  const { orgId, userId } = c.req.valid('param')
  await asCaller(c, (tx) => removeMember(tx, orgId, userId))
  return c.body(null, 204)
}
