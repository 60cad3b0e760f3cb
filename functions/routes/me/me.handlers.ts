import type { RouteHandler } from '@hono/zod-openapi'
import type { AppEnv } from '../../context.ts'
import { problems } from '../../problems/problem.ts'
import { asCaller } from '../../queries/as-caller.ts'
import { getProfile, type MeDbRow, updateProfile } from '../../queries/profile.ts'
import type * as routes from './me.routes.ts'

/** A token for a user without a profile (not in auth.users) finds nothing: 404, not 500. */
function found(row: MeDbRow | undefined): MeDbRow {
  if (!row) throw problems.notFound('profile')
  return row
}

export const getMe: RouteHandler<typeof routes.getMe, AppEnv> = async (c) => {
  const row = await asCaller(c, (tx) => getProfile(tx))
  c.header('Cache-Control', 'private, no-cache')
  return c.json(found(row), 200)
}

export const patchMe: RouteHandler<typeof routes.patchMe, AppEnv> = async (c) => {
  const body = c.req.valid('json')
  // A taken username is a unique violation (users_username_key), which the error handler maps to 409.
  const row = await asCaller(c, (tx) => updateProfile(tx, body))
  return c.json(found(row), 200)
}
