import type { RouteHandler } from '@hono/zod-openapi'
import type { AppEnv } from '../../context.ts'
import { asCaller } from '../../http/as-caller.ts'
import { problems } from '../../problems/problem.ts'
import type * as routes from './me.routes.ts'
import { type MeDbRow, profileSelect } from './me.sql.ts'

/** A token for a user without a profile (not in auth.users) finds nothing: 404, not 500. */
function found(row: MeDbRow | undefined): MeDbRow {
  if (!row) throw problems.notFound('profile')
  return row
}

export const getMe: RouteHandler<typeof routes.getMe, AppEnv> = async (c) => {
  const [row] = await asCaller(c, (tx) => tx.query<MeDbRow>(profileSelect('public.users')))
  c.header('Cache-Control', 'private, no-cache')
  return c.json(found(row), 200)
}

const patchableColumns = ['display_name', 'username'] as const

export const patchMe: RouteHandler<typeof routes.patchMe, AppEnv> = async (c) => {
  const body = c.req.valid('json')
  const params: unknown[] = []
  const sets: string[] = []
  for (const column of patchableColumns) {
    const value = body[column]
    if (value === undefined) continue
    params.push(value)
    sets.push(`${column} = $${params.length}`)
  }
  // A taken username is a unique violation (users_username_key), which the error handler maps to 409.
  const [row] = await asCaller(c, (tx) =>
    tx.query<MeDbRow>(
      `with updated as (
         update public.users set ${sets.join(', ')} where id = (select auth.uid()) returning *
       )
       ${profileSelect('updated')}`,
      params,
    ),
  )
  return c.json(found(row), 200)
}
