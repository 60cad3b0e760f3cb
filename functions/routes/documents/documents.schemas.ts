import { z } from '@hono/zod-openapi'
import { documentCategories, documentStatuses } from '../../domain/vocabulary.ts'
import { patchOf } from '../../http/patch-body.ts'
import { childRow } from '../customer-children/child-schemas.ts'

export const DocumentCategory = z.enum(documentCategories).openapi('DocumentCategory')

const name = z.string().trim().min(1).max(255)
const mediaType = z.string().regex(/^[a-z]+\/[A-Za-z0-9.+_-]+$/, 'is not a media type')

export const DocumentStatus = z.enum(documentStatuses).openapi('DocumentStatus', {
  description: 'pending: the upload URL is issued, the file not yet confirmed; ready: the file is in Storage',
})

/**
 * A document's metadata; the file itself lives in Storage at `storage_path`.
 * The database builds that path and owns every fact about the file (status,
 * size, type, upload time, uploader), so a client can neither place a file in
 * another tenant's folder nor claim one it never uploaded: start an upload,
 * send the file to the signed URL, confirm.
 */
export const Document = childRow({
  name: z.string(),
  category: DocumentCategory,
  storage_path: z.string().openapi({
    description:
      'Where the file lives in Storage, built by the database: `org/<org_id>/customers/<customer_id>/<id>/<safe name>`; ' +
      'it never changes, a rename included',
    example: 'org/0b9f…/customers/4c1e…/7d2a…/contract-2026.pdf',
  }),
  size_bytes: z.number().int(),
  content_type: z.string().openapi({ example: 'application/pdf' }),
  uploaded_by: z.uuid().nullable().openapi({ description: 'The member who created it' }),
  status: DocumentStatus,
  uploaded_at: z.iso.datetime({ offset: true }).nullable().openapi({
    description: 'When the upload was confirmed (null while pending)',
  }),
}).openapi('Document')

/**
 * An upload about to start: the file's name, category and declared type and
 * size, checked against the allow-list and the size limit before any URL is
 * issued. Completion checks the stored object against them.
 */
export const DocumentUploadCreate = z
  .strictObject({
    name,
    category: DocumentCategory.optional().openapi({ description: 'Defaults to other' }),
    content_type: mediaType.openapi({ example: 'application/pdf' }),
    size_bytes: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  })
  .openapi('DocumentUploadCreate')

export const SignedUpload = z
  .object({
    signed_url: z.url().openapi({
      description:
        'PUT the file here, before the URL expires (Storage fixes its life: two hours on Supabase)',
    }),
    token: z.string().openapi({ description: 'For storage-js `uploadToSignedUrl(path, token, file)`' }),
    path: z.string().openapi({ description: 'The object name in the documents bucket' }),
  })
  .openapi('SignedUpload')

export const DocumentUpload = z.object({ document: Document, upload: SignedUpload }).openapi('DocumentUpload')

export const DocumentDownload = z
  .object({
    signed_url: z.url().openapi({ description: 'GET the file here; it serves it as an attachment' }),
    expires_in: z.number().int().openapi({ description: 'Seconds the URL stays valid' }),
  })
  .openapi('DocumentDownload')

/** What a client chooses about a document: its name and category (documents are created by uploading). */
export const DocumentCreate = z
  .strictObject({
    name,
    category: DocumentCategory.optional().openapi({ description: 'Defaults to other' }),
  })
  .openapi('DocumentCreate')

/** Renaming or recategorizing keeps the file where it is; size and type belong to the file, set at creation. */
export const DocumentPatch = patchOf(DocumentCreate.pick({ name: true, category: true })).openapi(
  'DocumentPatch',
)
