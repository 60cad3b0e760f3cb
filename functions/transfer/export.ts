import type { Queryable } from '../db/database.ts'
import { isoTimestamp } from '../db/timestamps.ts'
import {
  type ContactExportRow,
  type CustomerExportRow,
  contactExportPage,
  customerExportPage,
  externalIdProviders,
} from '../queries/exports.ts'
import { assertOrgVisible } from '../queries/visibility.ts'
import { csvRecord } from './csv.ts'
import type { RunAsCaller } from './import-in-chunks.ts'

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

/**
 * Customers with owner, phase, total monthly service hours, the deal fields an
 * import reads back (deal_value, expected_close_date, next_step), what each is
 * worth (monthly_recurring_value, value: read only) and one column per
 * external-id provider.
 */
export function exportCustomers(run: RunAsCaller, orgId: string): Promise<CsvExport> {
  return pagedExport<CustomerExportRow>(
    run,
    async (tx) => {
      await assertOrgVisible(tx, orgId)
      const providers = await externalIdProviders(tx, orgId)
      return {
        header: [
          'id',
          'name',
          'phase',
          'owner_id',
          'owner_name',
          'owner_email',
          'monthly_hours',
          'deal_value',
          'expected_close_date',
          'next_step',
          'monthly_recurring_value',
          'value',
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
          r.deal_value ?? '',
          r.expected_close_date ?? '',
          r.next_step ?? '',
          r.monthly_recurring_value,
          r.value,
          isoTimestamp(r.created_at),
          isoTimestamp(r.updated_at),
          ...providers.map((p) => r.external_ids[p] ?? ''),
        ],
      }
    },
    (tx, after) => customerExportPage(tx, orgId, after, exportPageSize),
  )
}

/** Contacts with their customer's id and name (the name is what an import matches them by). */
export function exportContacts(run: RunAsCaller, orgId: string): Promise<CsvExport> {
  return pagedExport<ContactExportRow>(
    run,
    async (tx) => {
      await assertOrgVisible(tx, orgId)
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
    (tx, after) => contactExportPage(tx, orgId, after?.id ?? null, exportPageSize),
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
