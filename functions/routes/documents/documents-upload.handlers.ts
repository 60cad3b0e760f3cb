import type { RouteHandler, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { AppEnv } from '../../context.ts'
import { sql } from '../../db/sql.ts'
import { isoTimestamp } from '../../db/timestamps.ts'
import { createdResponse, sendCreated } from '../../http/created.ts'
import { versionString } from '../../http/etag.ts'
import { ApiProblem, problems } from '../../problems/problem.ts'
import { asCaller } from '../../queries/as-caller.ts'
import {
  type DocumentDbRow,
  declareUpload,
  getDocument,
  insertPendingDocument,
  lockDocumentToWrite,
  completeUpload as markUploaded,
} from '../../queries/documents.ts'
import { explainNoRow } from '../../queries/row-versions.ts'
import {
  type DocumentStorage,
  documentStorageFor,
  isDocumentObjectName,
} from '../../storage/document-storage.ts'
import type { Document } from './documents.schemas.ts'
import type * as routes from './documents-upload.routes.ts'

/** How long a download URL lives: long enough to start the download, short enough not to be passed around. */
export const downloadUrlSeconds = 60

type DocumentRow = DocumentDbRow

const documents = sql.identifier('public.documents')

function documentJson(row: DocumentRow): z.infer<typeof Document> {
  return {
    ...row,
    size_bytes: Number(row.size_bytes),
    uploaded_at: row.uploaded_at === null ? null : isoTimestamp(row.uploaded_at),
    created_at: isoTimestamp(row.created_at),
    updated_at: isoTimestamp(row.updated_at),
    version: versionString(row.version),
  } as z.infer<typeof Document>
}

/** `application/pdf` from `Application/PDF; charset=…`. */
const baseType = (contentType: string) => (contentType.split(';')[0] ?? '').trim().toLowerCase()

const storageOf = (c: Context<AppEnv>): DocumentStorage => {
  const storage = documentStorageFor(c.var.deps.config)
  if (!storage) throw problems.unavailable('Document storage is not configured (SUPABASE_URL).')
  return storage
}

export const createUpload: RouteHandler<typeof routes.createUpload, AppEnv> = async (c) => {
  const { id } = c.req.valid('param')
  const body = c.req.valid('json')
  const { DOCUMENT_MAX_BYTES: maxBytes, DOCUMENT_ALLOWED_TYPES: allowed } = c.var.deps.config
  // Both before anything is stored: a refused file never gets a row or a URL.
  if (!allowed.includes(baseType(body.content_type))) {
    throw new ApiProblem(
      415,
      'document_type_not_allowed',
      'This type of file is not accepted',
      `Accepted types: ${allowed.join(', ')}.`,
    )
  }
  if (body.size_bytes > maxBytes) {
    throw new ApiProblem(
      413,
      'document_too_large',
      'The file is too large',
      `The limit is ${maxBytes} bytes.`,
    )
  }
  const storage = storageOf(c)
  const result = await asCaller(c, async (tx) => {
    // As the caller: no row when the customer is hidden by RLS; RLS refuses (403) when it is visible
    // but not writable. The database builds the path and makes the row pending.
    const inserted = await insertPendingDocument(tx, id, { name: body.name, category: body.category ?? null })
    if (!inserted) throw problems.notFound('customer')
    // What the uploader declared, for completion to compare with the stored file.
    await declareUpload(tx, inserted, { size: body.size_bytes, contentType: baseType(body.content_type) })
    const row = await getDocument(tx, inserted)
    if (!row) throw problems.notFound('document')
    // Inside the transaction: if Storage refuses, no pending row is left behind.
    const upload = await storage.createUploadUrl(row.storage_path)
    return { document: documentJson(row), upload }
  })
  const location = `${c.var.deps.config.API_BASE_PATH}/documents/${result.document.id}`
  return sendCreated<typeof result>(c, createdResponse(result, { location }))
}

export const completeUpload: RouteHandler<typeof routes.completeUpload, AppEnv> = async (c) => {
  const { id } = c.req.valid('param')
  const storage = storageOf(c)
  const { DOCUMENT_MAX_BYTES: maxBytes, DOCUMENT_ALLOWED_TYPES: allowed } = c.var.deps.config
  const row = await asCaller(c, async (tx) => {
    // FOR UPDATE passes only the rows the caller may update (RLS applies the UPDATE policy),
    // so a member who may not write the document never makes Storage (as the service role)
    // look at, or remove, its file. The lock holds until the document is marked ready.
    const document = await lockDocumentToWrite(tx, id)
    if (!document) return explainNoRow(tx, documents, 'document', id, undefined)
    if (document.status === 'ready') return document
    if (!isDocumentObjectName(document.storage_path)) throw unreachableFile()
    const stored = await storage.info(document.storage_path)
    if (!stored)
      throw problems.conflict('The file has not been uploaded yet: upload it to the signed URL first.')
    const type = baseType(stored.content_type)
    if (
      stored.size !== Number(document.size_bytes) ||
      type !== document.content_type ||
      stored.size > maxBytes ||
      !allowed.includes(type)
    ) {
      await storage.remove([document.storage_path])
      throw problems.unprocessable(
        'upload_mismatch',
        `The stored file (${stored.size} bytes, ${type || 'no type'}) is not the one declared ` +
          `(${document.size_bytes} bytes, ${document.content_type}); it was removed: delete this document and start again.`,
      )
    }
    // The facts come from Storage, not from the request.
    const ready = await markUploaded(tx, id, { size: stored.size, contentType: type })
    return ready ?? explainNoRow(tx, documents, 'document', id, undefined)
  })
  return c.json(documentJson(row), 200)
}

/**
 * A row stored before the database built every path, with a path of another
 * shape (written around the API): its name is not sent to Storage with the
 * service key (see 20261204110000_documents_server_owned.sql).
 */
const unreachableFile = () =>
  problems.conflict(
    'This document’s file was not stored where the server keeps files, so the API does not reach it; ' +
      'an administrator can move it.',
  )

export const download: RouteHandler<typeof routes.download, AppEnv> = async (c) => {
  const { id } = c.req.valid('param')
  const storage = storageOf(c)
  const document = await asCaller(c, (tx) => getDocument(tx, id))
  if (!document) throw problems.notFound('document')
  if (document.status !== 'ready') throw problems.conflict('The file has not been uploaded yet.')
  if (!isDocumentObjectName(document.storage_path)) throw unreachableFile()
  const url = await storage.createDownloadUrl(document.storage_path, downloadUrlSeconds, document.name)
  if (!url) throw problems.notFound('file')
  c.header('Cache-Control', 'no-store')
  return c.json({ signed_url: url, expires_in: downloadUrlSeconds }, 200)
}
