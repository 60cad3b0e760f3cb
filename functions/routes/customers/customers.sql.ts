import { versionSql } from '../../http/etag.ts'

/** The columns every customer response is read with. `c` is public.customers. */
export const customerColumns = `
  c.id, c.org_id, c.name, c.phase, c.owner_id, c.created_at, c.updated_at,
  ${versionSql('c.updated_at')} as version,
  coalesce((select jsonb_object_agg(e.provider, e.external_id)
            from public.customer_external_ids e where e.customer_id = c.id), '{}'::jsonb) as external_ids`

export const customerCounts = `
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
