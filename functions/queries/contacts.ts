import type { Queryable } from '../db/database.ts'
import { sql } from '../db/sql.ts'

/**
 * The contact writes the webhook pipeline (webhooks/apply.ts) and the importer
 * (transfer/import-contacts.ts) share: create, change, delete, and the
 * importer's lookup of the contact a row names. The API's own contact
 * endpoints are a customer record's (customer-children.ts). Each statement
 * names the organization: as the service role (webhooks) that is the only fence.
 */

/** A contact to create. */
export interface NewContact {
  customerId: string
  name: string
  email: string | null
  phone: string | null
  role: string | null
}

/** Creates contacts in one statement, in the order given; returns their ids. */
export async function createContacts(
  tx: Queryable,
  orgId: string,
  drafts: readonly NewContact[],
): Promise<string[]> {
  if (drafts.length === 0) return []
  const records = drafts.map((d, i) => ({
    i,
    customer_id: d.customerId,
    name: d.name,
    email: d.email,
    phone: d.phone,
    role: d.role,
  }))
  const rows = await tx.query<{ id: string }>(
    sql`insert into public.contacts (org_id, customer_id, name, email, phone, role)
        select ${orgId}, r.customer_id, r.name, r.email, r.phone, r.role
        from jsonb_to_recordset(${sql.json(records)})
          as r(i int, customer_id uuid, name text, email text, phone text, role text)
        order by r.i
        returning id`,
  )
  return rows.map((row) => row.id)
}

/** A change to one contact: an absent field (undefined) is left as it is; null clears it. */
export interface ContactChange {
  id: string
  customerId?: string | undefined
  name: string
  email?: string | null | undefined
  phone?: string | null | undefined
  role?: string | null | undefined
}

/**
 * Changes contacts of the organization in one statement and returns the ids
 * it changed. With `skipUnchanged`, a contact whose values would not change
 * is left untouched (an import run again).
 */
export async function updateContacts(
  tx: Queryable,
  orgId: string,
  changes: readonly ContactChange[],
  { skipUnchanged = false }: { skipUnchanged?: boolean } = {},
): Promise<string[]> {
  if (changes.length === 0) return []
  const records = changes.map((c) => ({
    id: c.id,
    customer_id: c.customerId ?? null,
    name: c.name,
    email: c.email ?? null,
    has_email: c.email !== undefined,
    phone: c.phone ?? null,
    has_phone: c.phone !== undefined,
    role: c.role ?? null,
    has_role: c.role !== undefined,
  }))
  // customer_id only when a change moves a contact: the caller's column grants may not cover it.
  const moves = changes.some((c) => c.customerId !== undefined)
  const columns = moves ? sql`customer_id, name, email, phone, role` : sql`name, email, phone, role`
  const current = moves
    ? sql`k.customer_id, k.name, k.email, k.phone, k.role`
    : sql`k.name, k.email, k.phone, k.role`
  const values = sql`(${moves ? sql`coalesce(r.customer_id, k.customer_id), ` : sql.empty}r.name,
      case when r.has_email then r.email else k.email end,
      case when r.has_phone then r.phone else k.phone end,
      case when r.has_role then r.role else k.role end)`
  const rows = await tx.query<{ id: string }>(
    sql`update public.contacts k set (${columns}) = ${values}
        from jsonb_to_recordset(${sql.json(records)}) as r(id uuid, customer_id uuid, name text, email text,
          has_email boolean, phone text, has_phone boolean, role text, has_role boolean)
        -- The org compared as text: a filter, never an index condition, so the plan is a primary key lookup per row.
        where k.id = r.id and k.org_id::text = ${orgId}
          ${skipUnchanged ? sql`and (${current}) is distinct from ${values}` : sql.empty}
        returning k.id`,
  )
  return rows.map((row) => row.id)
}

/** Deletes a contact of the organization. */
export async function deleteContact(tx: Queryable, orgId: string, id: string): Promise<void> {
  await tx.query(sql`delete from public.contacts where id = ${id} and org_id = ${orgId}`)
}

/** What names an existing contact for the importer: its customer and its email, or without email its name. */
export interface ContactKey {
  i: number
  customerId: string
  name: string
  email: string | null
}

/**
 * The contact each key names: the customer's contact with the same email
 * (case-insensitive), or for a key without email the one with the same name
 * and no email; the oldest when several match. By key index.
 */
export async function findContacts(
  tx: Queryable,
  orgId: string,
  keys: readonly ContactKey[],
): Promise<Map<number, string>> {
  if (keys.length === 0) return new Map()
  const records = keys.map((k) => ({ i: k.i, customer_id: k.customerId, name: k.name, email: k.email }))
  const rows = await tx.query<{ i: number; id: string }>(
    sql`select distinct on (r.i) r.i, k.id
        from jsonb_to_recordset(${sql.json(records)}) as r(i int, customer_id uuid, name text, email text)
        join public.contacts k on k.customer_id = r.customer_id and k.org_id::text = ${orgId}
         and case when r.email is not null then lower(k.email) = lower(r.email)
                  else k.email is null and k.name = r.name end
        order by r.i, k.created_at, k.id`,
  )
  return new Map(rows.map((row) => [row.i, row.id]))
}
