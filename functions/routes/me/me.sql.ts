/**
 * The caller's profile with their memberships, from `source` aliased `u` (the
 * users table, or the rows an update returned). Memberships are filtered by the
 * user explicitly: RLS alone would also show colleagues' memberships.
 */
export const profileSelect = (source: string) => `
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
