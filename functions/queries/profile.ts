import type { Queryable } from '../db/database.ts'
import { type Sql, sql } from '../db/sql.ts'

/** The signed-in caller's own profile (public.users) and the organizations they belong to. */

/**
 * The caller's profile with their memberships, from `source` aliased `u` (the
 * users table, or the rows an update returned). Memberships are filtered by the
 * user explicitly: RLS alone would also show colleagues' memberships.
 */
const profileSelect = (source: Sql) => sql`
  select u.id, u.email, u.username, u.display_name,
         coalesce((select jsonb_agg(jsonb_build_object('org_id', m.org_id, 'org_name', o.name, 'role', m.role,
                                                      'live_topic', private.my_live_topic(m.org_id))
                                    order by o.name, o.id)
                   from public.memberships m
                   join public.organizations o on o.id = m.org_id
                   where m.user_id = u.id), '[]'::jsonb) as memberships
  from ${source} u
  where u.id = (select auth.uid())`

export type MeDbRow = {
  id: string
  email: string
  username: string
  display_name: string
  memberships: { org_id: string; org_name: string; role: 'viewer'; live_topic: string }[]
}

/** The caller's profile; undefined for a user without one (not in auth.users). */
export async function getProfile(tx: Queryable): Promise<MeDbRow | undefined> {
  const [row] = await tx.query<MeDbRow>(profileSelect(sql.identifier('public.users')))
  return row
}

/** What a caller may change of their own profile; an absent field stays as it is. */
export interface ProfileChange {
  display_name?: string | undefined
  username?: string | undefined
}

const patchableColumns = ['display_name', 'username'] as const

/**
 * Changes the caller's profile and returns it. A taken username is a unique
 * violation (users_username_key), which the error handler maps to 409.
 */
export async function updateProfile(tx: Queryable, change: ProfileChange): Promise<MeDbRow | undefined> {
  const sets = patchableColumns.flatMap((column) => {
    const value = change[column]
    return value === undefined ? [] : [sql`${sql.identifier(column)} = ${value}`]
  })
  const [row] = await tx.query<MeDbRow>(
    sql`with updated as (
          update public.users set ${sql.join(sets, ', ')} where id = (select auth.uid()) returning *
        )
        ${profileSelect(sql`updated`)}`,
  )
  return row
}
