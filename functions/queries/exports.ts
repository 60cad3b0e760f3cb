import type { Queryable } from '../db/database.ts'
import { sql } from '../db/sql.ts'

/**
 * The pages a CSV export reads (transfer/export.ts), as the caller: RLS
 * decides the rows. Each page is cut first (materialized), then joined, so
 * owners, sums and names are looked up for its rows only, whatever the
 * planner's statistics say.
 */

export interface CustomerExportRow {
  id: string
  /** created_at as the database prints it, exact to the microsecond: the keyset cursor. */
  created_key: string
  name: string
  phase: string
  owner_id: string | null
  owner_name: string | null
  owner_email: string | null
  monthly_hours: string
  deal_value: string | null
  expected_close_date: string | null
  next_step: string | null
  monthly_recurring_value: string
  value: string
  created_at: Date | string
  updated_at: Date | string
  external_ids: Record<string, string>
}

/** The providers of the organization's external ids, by name: one column each. */
export async function externalIdProviders(tx: Queryable, orgId: string): Promise<string[]> {
  const rows = await tx.query<{ provider: string }>(
    sql`select distinct provider from public.customer_external_ids where org_id = ${orgId} order by provider`,
  )
  return rows.map((p) => p.provider)
}

/**
 * A page of customers with owner, total monthly service hours, deal fields,
 * value (public.customer_values) and external ids, after `after`, by (created_at, id): the order of the (org_id,
 * created_at, id) index, so each page is one index range.
 */
export function customerExportPage(
  tx: Queryable,
  orgId: string,
  after: Pick<CustomerExportRow, 'created_key' | 'id'> | null,
  pageSize: number,
): Promise<CustomerExportRow[]> {
  // Bound as text: postgres.js would pass a timestamptz parameter through a JS Date,
  // dropping the microseconds, and the page would start again at the same rows.
  const afterLast = after
    ? sql`and (c.created_at, c.id) > (${after.created_key}::text::timestamptz, ${after.id}::uuid)`
    : sql.empty
  return tx.query<CustomerExportRow>(
    sql`with page as materialized (
          select c.id, c.name, c.phase, c.owner_id, c.created_at, c.updated_at,
                 c.deal_value, c.expected_close_date, c.next_step
          from public.customers c
          where c.org_id = ${orgId} ${afterLast}
          order by c.created_at, c.id
          limit ${pageSize}
        )
        select c.id, c.created_at::text as created_key, c.name, c.phase::text, c.owner_id,
          u.display_name as owner_name, u.email as owner_email,
          coalesce((select sum(s.monthly_hours) from public.services s where s.customer_id = c.id), 0)::text
            as monthly_hours,
          c.deal_value::text as deal_value, to_char(c.expected_close_date, 'YYYY-MM-DD') as expected_close_date,
          c.next_step,
          round(coalesce(v.monthly_recurring_value, 0), 2)::text as monthly_recurring_value,
          round(coalesce(v.value, 0), 2)::text as value,
          c.created_at, c.updated_at,
          coalesce((select jsonb_object_agg(e.provider, e.external_id)
                    from public.customer_external_ids e where e.customer_id = c.id), '{}'::jsonb) as external_ids
        from page c
        left join public.users u on u.id = c.owner_id
        left join public.customer_values v on v.id = c.id
        order by c.created_at, c.id`,
  )
}

export interface ContactExportRow {
  id: string
  customer_id: string
  customer_name: string
  name: string
  email: string | null
  phone: string | null
  role: string | null
  created_at: Date | string
  updated_at: Date | string
}

/** A page of contacts with their customer's name, by id after `afterId`. */
export function contactExportPage(
  tx: Queryable,
  orgId: string,
  afterId: string | null,
  pageSize: number,
): Promise<ContactExportRow[]> {
  return tx.query<ContactExportRow>(
    sql`with page as materialized (
          select k.id, k.customer_id, k.name, k.email, k.phone, k.role, k.created_at, k.updated_at
          from public.contacts k
          where k.org_id = ${orgId} ${afterId === null ? sql.empty : sql`and k.id > ${afterId}::uuid`}
          order by k.id
          limit ${pageSize}
        )
        select k.*, c.name as customer_name
        from page k
        join public.customers c on c.id = k.customer_id
        order by k.id`,
  )
}
