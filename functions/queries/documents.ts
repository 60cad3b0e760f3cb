import type { Queryable, Transaction } from '../db/database.ts'
import { sql } from '../db/sql.ts'
import type { DocumentCategory, DocumentStatus } from '../domain/vocabulary.ts'
import { versionOf } from './row-versions.ts'

/**
 * Documents and their files: the upload's rows (pending until the server has
 * seen the file), the file facts only the service role writes, and the
 * storage paths the API and the nightly jobs hand to Storage. The rows'
 * generic reads and writes are a customer record's (customer-children.ts).
 */

const columns = [
  'id',
  'org_id',
  'customer_id',
  'name',
  'category',
  'storage_path',
  'size_bytes',
  'content_type',
  'uploaded_by',
  'status',
  'uploaded_at',
  'created_at',
  'updated_at',
] as const

/** `x` is public.documents (or the row a function returned). */
const selectList = sql`${sql.join(
  columns.map((column) => sql.identifier(`x.${column}`)),
  ', ',
)}, ${versionOf(sql`x.updated_at`)} as version`

export type DocumentDbRow = Record<(typeof columns)[number], unknown> & {
  id: string
  version: number | string
  name: string
  storage_path: string
  status: DocumentStatus
  size_bytes: number | string
  content_type: string
}

/**
 * Adds a pending document to a customer, as the caller; undefined when the
 * customer is hidden by RLS, and RLS refuses (403) when it is visible but not
 * writable. The database builds the path.
 */
export async function insertPendingDocument(
  tx: Queryable,
  customerId: string,
  { name, category }: { name: string; category: DocumentCategory | null },
): Promise<string | undefined> {
  const [inserted] = await tx.query<{ id: string }>(
    sql`insert into public.documents (org_id, customer_id, name, category)
        select c.org_id, c.id, ${name}, coalesce(${category}::public.document_category, 'other')
        from public.customers c
        where c.id = ${customerId}
        returning id`,
  )
  return inserted?.id
}

/** One document; undefined when hidden. */
export async function getDocument(tx: Queryable, id: string): Promise<DocumentDbRow | undefined> {
  const [row] = await tx.query<DocumentDbRow>(
    sql`select ${selectList} from public.documents x where x.id = ${id}`,
  )
  return row
}

/**
 * A document locked until the transaction ends, if the caller may update it:
 * FOR UPDATE passes only the rows the UPDATE policy lets through.
 */
export async function lockDocumentToWrite(tx: Queryable, id: string): Promise<DocumentDbRow | undefined> {
  const [row] = await tx.query<DocumentDbRow>(
    sql`select ${selectList} from public.documents x where x.id = ${id} for update of x`,
  )
  return row
}

/**
 * Runs `fn` as the service role inside the caller's transaction, then returns
 * to the caller's role. The database lets no signed-in user write a
 * document's file facts (declared or stored size and type, status), and runs
 * the functions that do (private.declare_document_upload,
 * private.complete_document_upload) for the service role only; the API calls
 * them here, right after the statement that checked the caller's right under
 * RLS, in the same transaction, so that check still holds when they run.
 */
async function fileFactsAsServiceRole<T>(tx: Transaction, fn: () => Promise<T>): Promise<T> {
  await tx.query(sql`select set_config('role', 'service_role', true)`)
  const result = await fn()
  await tx.query(sql`select set_config('role', 'authenticated', true)`)
  return result
}

/** What the uploader declared, for completion to compare with the stored file. */
export async function declareUpload(
  tx: Transaction,
  id: string,
  { size, contentType }: { size: number; contentType: string },
): Promise<void> {
  await fileFactsAsServiceRole(tx, () =>
    tx.query(sql`select private.declare_document_upload(${id}, ${size}, ${contentType})`),
  )
}

/** Marks a document ready with the facts Storage gave of its file; undefined when it could not. */
export async function completeUpload(
  tx: Transaction,
  id: string,
  { size, contentType }: { size: number; contentType: string },
): Promise<DocumentDbRow | undefined> {
  const [ready] = await fileFactsAsServiceRole(tx, () =>
    tx.query<DocumentDbRow>(
      sql`select ${selectList} from private.complete_document_upload(${id}, ${size}, ${contentType}) x`,
    ),
  )
  return ready
}

/** The storage paths of a document, read as the caller (none when hidden). */
export async function documentFilePaths(tx: Queryable, documentId: string): Promise<string[]> {
  const rows = await tx.query<{ storage_path: string }>(
    sql`select storage_path from public.documents where id = ${documentId}`,
  )
  return rows.map((row) => row.storage_path)
}

/** The storage paths of a customer's documents, read as the caller (none when hidden). */
export async function customerFilePaths(tx: Queryable, customerId: string): Promise<string[]> {
  const rows = await tx.query<{ storage_path: string }>(
    sql`select storage_path from public.documents where customer_id = ${customerId}`,
  )
  return rows.map((row) => row.storage_path)
}

/**
 * Deletes, as the service role, up to `limit` documents still pending `hours`
 * after their upload URL was issued, oldest first, skipping rows another
 * transaction holds; returns their storage paths.
 */
export async function deleteAbandonedUploads(
  tx: Queryable,
  { now, hours, limit }: { now: Date; hours: number; limit: number },
): Promise<string[]> {
  // Only rows still pending when deleted: an upload completed meanwhile keeps both its row and its file.
  const deleted = await tx.query<{ storage_path: string }>(
    sql`delete from public.documents
        where id in (
          select id from public.documents
          where status = 'pending' and created_at < ${now.toISOString()}::timestamptz - make_interval(hours => ${hours})
          order by created_at
          limit ${limit}
          for update skip locked
        ) and status = 'pending'
        returning storage_path`,
  )
  return deleted.map((d) => d.storage_path)
}

/** The object names no document row holds as its storage path. */
export async function namesWithoutDocument(tx: Queryable, names: readonly string[]): Promise<string[]> {
  if (names.length === 0) return []
  const rows = await tx.query<{ name: string }>(
    // As JSON: object names may hold commas, quotes and spaces, which an array literal would need escaped.
    sql`select n.name from jsonb_array_elements_text(${sql.json(names)}) as n (name)
        where not exists (select from public.documents d where d.storage_path = n.name)`,
  )
  return rows.map((row) => row.name)
}
