import type { Queryable } from '../db/database.ts'
import { isoTimestamp } from '../http/sql.ts'
import { problems } from '../problems/problem.ts'
import { csvRecord } from './csv.ts'
import type { RunAsCaller } from './import-report.ts'

export const exportPageSize = 2000

/** A CSV export as pages of text: the header and first page already read (so a 404 comes before any byte), the rest on demand. */
export interface CsvExport {
  first: CsvPage
  rest: AsyncGenerator<CsvPage>
}

/** Some records of an export as CSV text, and how many (a record may hold line breaks). */
export interface CsvPage {
  csv: string
  records: number
}

interface Page<T> {
  rows: T[]
  csv: string
}

/**
 * Reads pages by keyset, each in a short transaction of its own as the
 * caller (RLS decides the rows), so no connection is held while a slow client
 * reads. It is not one snapshot: a row changed during the export shows as it
 * was when its page was read.
 */
async function pagedExport<T extends { id: string }>(
  run: RunAsCaller,
  start: (tx: Queryable) => Promise<{ header: string[]; toCells: (row: T) => string[] }>,
  readPage: (tx: Queryable, after: T | null) => Promise<T[]>,
): Promise<CsvExport> {
  let toCells: (row: T) => string[] = () => []
  const toPage = (rows: T[]): Page<T> => ({ rows, csv: rows.map((r) => csvRecord(toCells(r))).join('') })
  const first = await run(async (tx) => {
    const shape = await start(tx)
    toCells = shape.toCells
    return { header: csvRecord(shape.header), page: toPage(await readPage(tx, null)) }
  })
  async function* rest() {
    let page = first.page
    while (page.rows.length === exportPageSize) {
      const after = page.rows.at(-1) ?? null
      page = toPage(await run((tx) => readPage(tx, after)))
      if (page.csv) yield { csv: page.csv, records: page.rows.length }
    }
  }
  return { first: { csv: first.header + first.page.csv, records: first.page.rows.length }, rest: rest() }
}

async function assertMember(tx: Queryable, orgId: string) {
  const rows = await tx.query('select 1 from public.organizations where id = $1', [orgId])
  if (rows.length === 0) throw problems.notFound('organization')
}

interface CustomerExportRow {
  id: string
  /** created_at as the database prints it, exact to the microsecond: the keyset cursor. */
  created_key: string
  name: string
  phase: string
  owner_id: string | null
  owner_name: string | null
  owner_email: string | null
  monthly_hours: string
  created_at: Date | string
  updated_at: Date | string
  external_ids: Record<string, string>
}

/** Customers with owner, phase, total monthly service hours and one column per external-id provider. */
export function exportCustomers(run: RunAsCaller, orgId: string): Promise<CsvExport> {
  return pagedExport<CustomerExportRow>(
    run,
    async (tx) => {
      await assertMember(tx, orgId)
      const providers = (
        await tx.query<{ provider: string }>(
          'select distinct provider from public.customer_external_ids where org_id = $1 order by provider',
          [orgId],
        )
      ).map((p) => p.provider)
      return {
        header: [
          'id',
          'name',
          'phase',
          'owner_id',
          'owner_name',
          'owner_email',
          'monthly_hours',
          'created_at',
          'updated_at',
          ...providers.map((p) => `external_id.${p}`),
        ],
        toCells: (r) => [
          r.id,
          r.name,
          r.phase,
          r.owner_id ?? '',
          r.owner_name ?? '',
          r.owner_email ?? '',
          r.monthly_hours,
          isoTimestamp(r.created_at),
          isoTimestamp(r.updated_at),
          ...providers.map((p) => r.external_ids[p] ?? ''),
        ],
      }
    },
    // By (created_at, id), the order of the (org_id, created_at, id) index: each page is one
    // index range. The page is cut first (materialized), then joined, so owners and sums are
    // looked up for its 2,000 rows only, whatever the planner's statistics say.
    (tx, after) =>
      tx.query<CustomerExportRow>(
        `with page as materialized (
           select c.id, c.name, c.phase, c.owner_id, c.created_at, c.updated_at
           from public.customers c
           where c.org_id = $1
             -- Bound as text: postgres.js would pass a timestamptz parameter through a JS Date,
             -- dropping the microseconds, and the page would start again at the same rows.
             and ($2::text is null or (c.created_at, c.id) > ($2::text::timestamptz, $3::uuid))
           order by c.created_at, c.id
           limit ${exportPageSize}
         )
         select c.id, c.created_at::text as created_key, c.name, c.phase::text, c.owner_id,
           u.display_name as owner_name, u.email as owner_email,
           coalesce((select sum(s.monthly_hours) from public.services s where s.customer_id = c.id), 0)::text
             as monthly_hours,
           c.created_at, c.updated_at,
           coalesce((select jsonb_object_agg(e.provider, e.external_id)
                     from public.customer_external_ids e where e.customer_id = c.id), '{}'::jsonb) as external_ids
         from page c
         left join public.users u on u.id = c.owner_id
         order by c.created_at, c.id`,
        [orgId, after?.created_key ?? null, after?.id ?? null],
      ),
  )
}

interface ContactExportRow {
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

/** Contacts with their customer's id and name (the name is what an import matches them by). */
export function exportContacts(run: RunAsCaller, orgId: string): Promise<CsvExport> {
  return pagedExport<ContactExportRow>(
    run,
    async (tx) => {
      await assertMember(tx, orgId)
      return {
        header: [
          'id',
          'customer_id',
          'customer_name',
          'name',
          'email',
          'phone',
          'role',
          'created_at',
          'updated_at',
        ],
        toCells: (r) => [
          r.id,
          r.customer_id,
          r.customer_name,
          r.name,
          r.email ?? '',
          r.phone ?? '',
          r.role ?? '',
          isoTimestamp(r.created_at),
          isoTimestamp(r.updated_at),
        ],
      }
    },
    (tx, after) =>
      tx.query<ContactExportRow>(
        `with page as materialized (
           select k.id, k.customer_id, k.name, k.email, k.phone, k.role, k.created_at, k.updated_at
           from public.contacts k
           where k.org_id = $1 and ($2::uuid is null or k.id > $2::uuid)
           order by k.id
           limit ${exportPageSize}
         )
         select k.*, c.name as customer_name
         from page k
         join public.customers c on c.id = k.customer_id
         order by k.id`,
        [orgId, after?.id ?? null],
      ),
  )
}

/** An export as a byte stream that reads the next page only when the client has taken the last. */
export function csvStream(csv: CsvExport): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  let sentFirst = false
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!sentFirst) {
        sentFirst = true
        controller.enqueue(encoder.encode(csv.first.csv))
        return
      }
      const next = await csv.rest.next()
      if (next.done) controller.close()
      else controller.enqueue(encoder.encode(next.value.csv))
    },
    async cancel() {
      await csv.rest.return(undefined)
    },
  })
}
