import { versionSql } from '../../http/etag.ts'

/** The columns every customer response is read with. `c` is public.customers. */
export const customerColumns = `
  c.id, c.org_id, c.name, c.phase, c.owner_id, c.created_at, c.updated_at,
  ${versionSql('c.updated_at')} as version,
  coalesce((select jsonb_object_agg(e.provider, e.external_id)
            from public.customer_external_ids e where e.customer_id = c.id), '{}'::jsonb) as external_ids`

/**
 * A customer's record counts, as one membership-checked function call instead
 * of six subqueries under RLS (20261125160400_customer_record_counts.sql).
 * Joined as `n`: `from public.customers c ${customerCountsJoin}`. No row when
 * the caller is not a member of the customer's organization.
 */
export const customerCountsJoin = 'cross join lateral private.customer_record_counts(c.id) n'
export const customerCounts = 'n.contacts, n.teams, n.processes, n.services, n.documents, n.timeline_events'

/** The same counts as plain subqueries: what the bench's superuser baseline runs (no RLS, no membership). */
export const customerCountSubqueries = `
  (select count(*) from public.contacts x where x.customer_id = c.id)::int as contacts,
  (select count(*) from public.teams x where x.customer_id = c.id)::int as teams,
  (select count(*) from public.processes x where x.customer_id = c.id)::int as processes,
  (select count(*) from public.services x where x.customer_id = c.id)::int as services,
  (select count(*) from public.documents x where x.customer_id = c.id)::int as documents,
  (select count(*) from public.timeline_events x where x.customer_id = c.id)::int as timeline_events`

/** Sort keys of the list: column, its SQL type for the cursor cast. */
export const sortColumns = {
  name: { column: 'c.name', type: 'text' },
  updated_at: { column: 'c.updated_at', type: 'timestamptz' },
  created_at: { column: 'c.created_at', type: 'timestamptz' },
} as const

export type CustomerDbRow = {
  id: string
  org_id: string
  name: string
  phase: string
  owner_id: string | null
  created_at: Date | string
  updated_at: Date | string
  version: number | string
  external_ids: Record<string, string>
}
