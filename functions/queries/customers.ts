import type { Queryable } from '../db/database.ts'
import { likePattern, type Sql, sql } from '../db/sql.ts'
import type { CustomerPhase, CustomerSort, CustomerSortColumn } from '../domain/vocabulary.ts'
import { type KeysetAfter, type KeysetRow, keysetClauses } from './keyset.ts'
import { explainNoRow, versionCheck, versionOf } from './row-versions.ts'
import { assertOrgVisible, readAfterCheck } from './visibility.ts'

/**
 * Customers: what the API reads, and the writes every writer shares. The API's
 * handlers, the webhook pipeline (webhooks/apply.ts) and the importer
 * (transfer/import-customers.ts) create, change, delete customers and link
 * their external ids through these functions only, so one rule holds for all
 * three. Each statement names the organization where the caller knows it: as
 * the service role (webhooks) that is the only fence.
 */

const customers = sql.identifier('public.customers')

/** The columns every customer response is read with. `c` is public.customers. */
export const customerColumns = sql`
  c.id, c.org_id, c.name, c.phase, c.owner_id, c.created_at, c.updated_at,
  c.deal_value::text as deal_value, to_char(c.expected_close_date, 'YYYY-MM-DD') as expected_close_date,
  c.next_step, c.phase_entered_at,
  ${versionOf(sql`c.updated_at`)} as version,
  coalesce((select jsonb_object_agg(e.provider, e.external_id)
            from public.customer_external_ids e where e.customer_id = c.id), '{}'::jsonb) as external_ids`

/**
 * What a customer is worth, from public.customer_values (the one definition,
 * docs/metrics.md), for reads of the table itself: a statement that writes a
 * customer would see its old row through the view, so writers read back.
 * Joined as `v`: `from public.customers c ${customerValueJoin}`.
 */
export const customerValueJoin = sql`left join public.customer_values v on v.id = c.id`
export const customerValueColumns = sql`
  round(coalesce(v.monthly_recurring_value, 0), 2)::text as monthly_recurring_value,
  round(coalesce(v.value, 0), 2)::text as value,
  round(coalesce(v.weighted_value, 0), 2)::text as weighted_value,
  coalesce(v.days_in_phase, 0) as days_in_phase`

/**
 * A customer's record counts, as one membership-checked function call instead
 * of six subqueries under RLS (20261125160400_customer_record_counts.sql).
 * Joined as `n`: `from public.customers c ${customerCountsJoin}`. No row when
 * the caller is not a member of the customer's organization.
 */
export const customerCountsJoin = sql`cross join lateral private.customer_record_counts(c.id) n`
export const customerCounts = sql`n.contacts, n.teams, n.processes, n.services, n.documents, n.timeline_events`

/** The same counts as plain subqueries: what the bench's superuser baseline runs (no RLS, no membership). */
export const customerCountSubqueries = sql`
  (select count(*) from public.contacts x where x.customer_id = c.id)::int as contacts,
  (select count(*) from public.teams x where x.customer_id = c.id)::int as teams,
  (select count(*) from public.processes x where x.customer_id = c.id)::int as processes,
  (select count(*) from public.services x where x.customer_id = c.id)::int as services,
  (select count(*) from public.documents x where x.customer_id = c.id)::int as documents,
  (select count(*) from public.timeline_events x where x.customer_id = c.id)::int as timeline_events`

/** The list's sort keys: column, and its SQL type for the cursor cast. */
const sortColumns: Record<CustomerSortColumn, { column: Sql; type: Sql }> = {
  name: { column: sql`c.name`, type: sql`text` },
  updated_at: { column: sql`c.updated_at`, type: sql`timestamptz` },
  created_at: { column: sql`c.created_at`, type: sql`timestamptz` },
}

export type CustomerDbRow = {
  id: string
  org_id: string
  name: string
  phase: CustomerPhase
  owner_id: string | null
  created_at: Date | string
  updated_at: Date | string
  version: number | string
  external_ids: Record<string, string>
  deal_value: string | null
  expected_close_date: string | null
  next_step: string | null
  phase_entered_at: Date | string
}

/** A customer read with what it is worth (customerValueColumns). */
export type ValuedCustomerDbRow = CustomerDbRow & {
  monthly_recurring_value: string
  value: string
  weighted_value: string
  days_in_phase: number
}

export type CustomerCounts = {
  contacts: number
  teams: number
  processes: number
  services: number
  documents: number
  timeline_events: number
}

/** What a list of customers may be narrowed and ordered by (the API's allow-list, already validated). */
export interface CustomerFilters {
  sort: CustomerSort
  limit: number
  after?: KeysetAfter | undefined
  phase?: readonly CustomerPhase[] | undefined
  owner_id?: string | undefined
  /** Words of the name. */
  q?: string | undefined
  updated_since?: string | undefined
}

/** One keyset page (and one row more) of an organization's customers; 404 when the organization is hidden. */
export function listCustomers(
  tx: Queryable,
  orgId: string,
  filters: CustomerFilters,
): Promise<(ValuedCustomerDbRow & KeysetRow)[]> {
  const { column, type } = sortColumns[filters.sort.replace('-', '') as CustomerSortColumn]
  const page = keysetClauses(
    { name: filters.sort, column, type, idColumn: sql`c.id` },
    filters.after,
    filters.limit,
  )
  // The org is named explicitly (not left to RLS) so the planner uses the (org_id, …) indexes.
  const conditions = [sql`c.org_id = ${orgId}`]
  const { phase } = filters
  // Phases by their stored position: under RLS `phase = …` (enum equality, not leakproof) cannot
  // be an index condition, an integer comparison can (20261125160300_customer_phase_position.sql).
  // One phase as plain equality: Postgres 15 walks the (org_id, phase_position, updated_at) index
  // in order for it, not for `= any(array)`.
  if (phase?.length === 1)
    conditions.push(
      sql`c.phase_position = (select private.customer_phase_position(${phase[0]}::public.customer_phase))`,
    )
  else if (phase)
    conditions.push(
      sql`c.phase_position = any(array(select private.customer_phase_position(x)
                                       from unnest(${sql.textArray(phase)}::public.customer_phase[]) x))`,
    )
  if (filters.owner_id) conditions.push(sql`c.owner_id = ${filters.owner_id}::uuid`)
  // The ids come from the trigram index through a membership-checked helper: under RLS
  // `ilike` itself cannot use an index (supabase/migrations/20261125160100_customer_search.sql).
  if (filters.q)
    conditions.push(sql`c.id in (select private.customer_ids_matching(${orgId}, ${likePattern(filters.q)}))`)
  if (filters.updated_since) conditions.push(sql`c.updated_at >= ${filters.updated_since}::timestamptz`)
  conditions.push(page.after)
  return readAfterCheck(
    assertOrgVisible(tx, orgId),
    tx.query<ValuedCustomerDbRow & KeysetRow>(
      sql`select ${customerColumns}, ${customerValueColumns}, ${page.sortValue} as sort_value
          from public.customers c ${customerValueJoin}
          where ${sql.join(conditions, ' and ')}
          order by ${page.orderBy}
          limit ${page.limit}`,
    ),
  )
}

/** One customer with the counts of its records; undefined when the caller cannot see it. */
export async function customerWithCounts(
  tx: Queryable,
  id: string,
): Promise<(ValuedCustomerDbRow & { counts: CustomerCounts }) | undefined> {
  const [row] = await tx.query<ValuedCustomerDbRow & Record<keyof CustomerCounts, number | string>>(
    sql`select ${customerColumns}, ${customerValueColumns}, ${customerCounts}
        from public.customers c ${customerCountsJoin} ${customerValueJoin}
        where c.id = ${id}`,
  )
  if (!row) return undefined
  const { contacts, teams, processes, services, documents, timeline_events, ...customer } = row
  return {
    ...customer,
    counts: {
      contacts: Number(contacts),
      teams: Number(teams),
      processes: Number(processes),
      services: Number(services),
      documents: Number(documents),
      timeline_events: Number(timeline_events),
    },
  }
}

/** One customer with what it is worth; undefined when the caller cannot see it. */
export async function valuedCustomer(tx: Queryable, id: string): Promise<ValuedCustomerDbRow | undefined> {
  const [row] = await tx.query<ValuedCustomerDbRow>(
    sql`select ${customerColumns}, ${customerValueColumns} from public.customers c ${customerValueJoin} where c.id = ${id}`,
  )
  return row
}

/** The pre-sale fields every writer may set: absent leaves a field as it is (or empty on create), null clears it. */
export interface CustomerDealFields {
  /** A one-off deal value, an exact decimal as text. */
  dealValue?: string | null | undefined
  /** YYYY-MM-DD. */
  expectedCloseDate?: string | null | undefined
  nextStep?: string | null | undefined
}

/** The deal fields as recordset columns: each value, and whether it was given at all. */
const dealRecord = (d: CustomerDealFields) => ({
  deal_value_given: d.dealValue !== undefined,
  deal_value: d.dealValue ?? null,
  close_given: d.expectedCloseDate !== undefined,
  expected_close_date: d.expectedCloseDate ?? null,
  next_step_given: d.nextStep !== undefined,
  next_step: d.nextStep ?? null,
})
const dealRecordColumns = sql`deal_value_given boolean, deal_value numeric, close_given boolean,
  expected_close_date date, next_step_given boolean, next_step text`

/** A customer to create, as every writer describes one. */
export interface NewCustomer extends CustomerDealFields {
  name: string
  /** Absent or null: `lead`. */
  phase?: CustomerPhase | null | undefined
  /** Absent: the signed-in caller (`auth.uid()`, nobody for the service role); null: nobody. */
  ownerId?: string | null | undefined
}

/**
 * Creates customers in one statement and returns them in the order given. The
 * database gives each its id (a signed-in user's ids are stamped), so they are
 * told apart by name: the names of one call must differ.
 */
export async function createCustomers(
  tx: Queryable,
  orgId: string,
  drafts: readonly NewCustomer[],
): Promise<CustomerDbRow[]> {
  if (drafts.length === 0) return []
  if (new Set(drafts.map((d) => d.name)).size !== drafts.length)
    throw new Error('createCustomers: the customers of one call need distinct names')
  const records = drafts.map((d, i) => ({
    i,
    name: d.name,
    phase: d.phase ?? null,
    owner_given: d.ownerId !== undefined,
    owner_id: d.ownerId ?? null,
    ...dealRecord(d),
  }))
  const rows = await tx.query<CustomerDbRow>(
    sql`with c as (
          insert into public.customers (org_id, name, phase, owner_id, deal_value, expected_close_date, next_step)
          select ${orgId}::uuid, r.name, coalesce(r.phase, 'lead'),
                 case when r.owner_given then r.owner_id else auth.uid() end,
                 r.deal_value, r.expected_close_date, r.next_step
          from jsonb_to_recordset(${sql.json(records)})
            as r(i int, name text, phase public.customer_phase, owner_given boolean, owner_id uuid, ${dealRecordColumns})
          order by r.i
          returning *
        )
        select ${customerColumns} from c`,
  )
  const byName = new Map(rows.map((row) => [row.name, row]))
  return drafts.map((d) => {
    const row = byName.get(d.name)
    if (!row) throw new Error(`createCustomers: ${JSON.stringify(d.name)} was not returned`)
    return row
  })
}

/** A change to one customer: an absent field is left as it is; `ownerId: null` unassigns. */
export interface CustomerChange extends CustomerDealFields {
  id: string
  name?: string | undefined
  phase?: CustomerPhase | undefined
  ownerId?: string | null | undefined
  /** The version the writer read (If-Match): the change applies only to it. */
  expectedVersion?: string | undefined
}

export interface ChangeOptions {
  /** Only customers of this organization change (the service role sees every one). */
  orgId?: string | undefined
  /** Leave a customer whose values would not change untouched: its version stays (an import run again). */
  skipUnchanged?: boolean
}

/**
 * Changes customers in one statement and returns those it changed; one it did
 * not (hidden, not the caller's to write, another version, unchanged when
 * skipped, gone) is simply not among them.
 */
export async function updateCustomers(
  tx: Queryable,
  changes: readonly CustomerChange[],
  { orgId, skipUnchanged = false }: ChangeOptions = {},
): Promise<CustomerDbRow[]> {
  if (changes.length === 0) return []
  const records = changes.map((change) => ({
    id: change.id,
    name: change.name ?? null,
    phase: change.phase ?? null,
    owner_given: change.ownerId !== undefined,
    owner_id: change.ownerId ?? null,
    version: change.expectedVersion ?? null,
    ...dealRecord(change),
  }))
  const name = sql`coalesce(r.name, c.name)`
  const phase = sql`coalesce(r.phase, c.phase)`
  const owner = sql`case when r.owner_given then r.owner_id else c.owner_id end`
  const dealValue = sql`case when r.deal_value_given then r.deal_value else c.deal_value end`
  const closeDate = sql`case when r.close_given then r.expected_close_date else c.expected_close_date end`
  const nextStep = sql`case when r.next_step_given then r.next_step else c.next_step end`
  // Only the columns a change names are written: an UPDATE naming a column the caller may not
  // write is refused whole by the column grants, whatever its value.
  const set = [sql`name = ${name}`, sql`phase = ${phase}`, sql`owner_id = ${owner}`]
  if (changes.some((ch) => ch.dealValue !== undefined)) set.push(sql`deal_value = ${dealValue}`)
  if (changes.some((ch) => ch.expectedCloseDate !== undefined))
    set.push(sql`expected_close_date = ${closeDate}`)
  if (changes.some((ch) => ch.nextStep !== undefined)) set.push(sql`next_step = ${nextStep}`)
  const compared = changes.some(
    (ch) => ch.dealValue !== undefined || ch.expectedCloseDate !== undefined || ch.nextStep !== undefined,
  )
    ? sql`(c.name, c.phase, c.owner_id, c.deal_value, c.expected_close_date, c.next_step)
          is distinct from (${name}, ${phase}, ${owner}, ${dealValue}, ${closeDate}, ${nextStep})`
    : sql`(c.name, c.phase, c.owner_id) is distinct from (${name}, ${phase}, ${owner})`
  return tx.query<CustomerDbRow>(
    sql`with c as (
          update public.customers c set ${sql.join(set, ', ')}
          from jsonb_to_recordset(${sql.json(records)})
            as r(id uuid, name text, phase public.customer_phase, owner_given boolean, owner_id uuid, version bigint,
                 ${dealRecordColumns})
          where c.id = r.id
            -- The org compared as text: a filter, never an index condition, so the plan is a primary
            -- key lookup per row (with the org's index it scanned the whole organization per import chunk).
            ${orgId === undefined ? sql.empty : sql`and c.org_id::text = ${orgId}`}
            and (r.version is null or ${versionOf(sql`c.updated_at`)} = r.version)
            ${skipUnchanged ? sql`and ${compared}` : sql.empty}
          returning c.*
        )
        select ${customerColumns} from c`,
  )
}

/** The API's change of one customer: the changed row, or why there is none (404, 412, 403). */
export async function updateCustomerOrExplain(tx: Queryable, change: CustomerChange): Promise<CustomerDbRow> {
  const [updated] = await updateCustomers(tx, [change])
  return updated ?? explainNoRow(tx, customers, 'customer', change.id, change.expectedVersion)
}

/** Deletes one customer (its records and external ids go with it); false when there was none to delete. */
export async function deleteCustomer(
  tx: Queryable,
  id: string,
  { orgId, expectedVersion }: { orgId?: string | undefined; expectedVersion?: string | undefined } = {},
): Promise<boolean> {
  const deleted = await tx.query(
    sql`delete from public.customers
        where id = ${id} ${orgId === undefined ? sql.empty : sql`and org_id = ${orgId}`} ${versionCheck(expectedVersion)}
        returning id`,
  )
  return deleted.length > 0
}

/** The API's delete of one customer; one it could not delete is explained (404, 412, 403). */
export async function deleteCustomerOrExplain(
  tx: Queryable,
  id: string,
  expectedVersion: string | undefined,
): Promise<void> {
  if (!(await deleteCustomer(tx, id, { expectedVersion })))
    await explainNoRow(tx, customers, 'customer', id, expectedVersion)
}

/** An external id of a customer: the id a CRM (`provider`) knows it by. */
export interface ExternalIdLink {
  customerId: string
  provider: string
  externalId: string
}

const linkRecordset = (links: readonly ExternalIdLink[]) =>
  sql`jsonb_to_recordset(${sql.json(
    links.map((l) => ({ customer_id: l.customerId, provider: l.provider, external_id: l.externalId })),
  )}) as l(customer_id uuid, provider text, external_id text)`

/**
 * Links external ids, by the one rule every writer follows: a customer holds
 * at most one id per provider, so linking replaces the customer's earlier id
 * of that provider; and an id names at most one customer of the organization,
 * so an id another customer holds is never taken from it: writers find the
 * customer by its external id first (findCustomers), and an id linked
 * elsewhere meanwhile is a unique violation that rolls the whole change back
 * (the webhook event is retried, the import's chunk fails), never a customer
 * left silently without its id.
 */
export async function linkExternalIds(
  tx: Queryable,
  orgId: string,
  links: readonly ExternalIdLink[],
): Promise<void> {
  if (links.length === 0) return
  // No update on external ids (a link is made or removed). By (customer_id, provider), its unique
  // index; the org compared as text so the planner cannot pick the (org_id, …) primary key instead.
  await tx.query(
    sql`delete from public.customer_external_ids e using ${linkRecordset(links)}
        where e.customer_id = l.customer_id and e.provider = l.provider and e.external_id <> l.external_id
          and e.org_id::text = ${orgId}`,
  )
  await tx.query(
    sql`insert into public.customer_external_ids (org_id, customer_id, provider, external_id)
        select ${orgId}::uuid, l.customer_id, l.provider, l.external_id from ${linkRecordset(links)}
        where not exists (select from public.customer_external_ids e
                          where e.org_id = ${orgId}::uuid and e.provider = l.provider
                            and e.external_id = l.external_id and e.customer_id = l.customer_id)`,
  )
}

/** Unlinks one external id from its customer (the customer stays). */
export async function unlinkExternalId(tx: Queryable, orgId: string, link: ExternalIdLink): Promise<void> {
  await tx.query(
    sql`delete from public.customer_external_ids
        where org_id = ${orgId} and provider = ${link.provider} and external_id = ${link.externalId}
          and customer_id = ${link.customerId}`,
  )
}

/** What names a customer: its external ids by provider, and (for the importer) its exact name. */
export interface CustomerKey {
  i: number
  name: string | null
  /** External ids by provider. */
  ext: Record<string, string>
}

export interface CustomerMatches {
  byExt: string[]
  byName: string[]
}

/**
 * The existing customers each key names: those holding any of its external
 * ids, and those with exactly its name. Two plain joins against the set of keys
 * (not a subquery per key), so the plan stays one index or hash join whatever
 * the table's statistics say. RLS applies: only customers the caller sees count.
 */
export async function findCustomers(
  tx: Queryable,
  orgId: string,
  keys: readonly CustomerKey[],
): Promise<Map<number, CustomerMatches>> {
  const matches = new Map<number, CustomerMatches>(keys.map((k) => [k.i, { byExt: [], byName: [] }]))
  const extKeys = keys.flatMap((k) =>
    Object.entries(k.ext).map(([provider, external_id]) => ({ i: k.i, provider, external_id })),
  )
  const nameKeys = keys.filter((k) => k.name !== null).map((k) => ({ i: k.i, name: k.name }))
  const [byExt, byName] = await Promise.all([
    extKeys.length === 0
      ? []
      : tx.query<{ i: number; customer_id: string }>(
          sql`select distinct k.i, e.customer_id
              from jsonb_to_recordset(${sql.json(extKeys)}) as k(i int, provider text, external_id text)
              join public.customer_external_ids e
                on e.org_id = ${orgId} and e.provider = k.provider and e.external_id = k.external_id`,
        ),
    nameKeys.length === 0
      ? []
      : tx.query<{ i: number; id: string }>(
          sql`select k.i, c.id
              from jsonb_to_recordset(${sql.json(nameKeys)}) as k(i int, name text)
              join public.customers c on c.org_id = ${orgId} and c.name = k.name`,
        ),
  ])
  for (const r of byExt) matches.get(r.i)?.byExt.push(r.customer_id)
  for (const r of byName) matches.get(r.i)?.byName.push(r.id)
  return matches
}

/** The customer of the organization that holds one external id, or null. */
export async function customerHoldingExternalId(
  tx: Queryable,
  orgId: string,
  provider: string,
  externalId: string,
): Promise<string | null> {
  const matches = await findCustomers(tx, orgId, [{ i: 0, name: null, ext: { [provider]: externalId } }])
  return matches.get(0)?.byExt[0] ?? null
}
