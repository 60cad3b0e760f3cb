import { z } from '@hono/zod-openapi'
import { childRow, patchOf } from '../customer-children/child-schemas.ts'

export const documentCategories = ['contract', 'proposal', 'invoice', 'report', 'other'] as const
export const DocumentCategory = z.enum(documentCategories).openapi('DocumentCategory')

const name = z.string().trim().min(1).max(255)

/**
 * A document's metadata; the file itself lives in Storage at `storage_path`.
 * The server derives that path (`<org_id>/<customer_id>/<document id>-<file name>`),
 * so a client can neither place a file in another tenant's folder nor collide
 * with another document: create the document, then upload to its path.
 */
export const Document = childRow({
  name: z.string(),
  category: DocumentCategory,
  storage_path: z.string().openapi({
    description: 'Where the file lives in Storage, derived by the server; starts with the org id',
    example: '0b9f…/4c1e…/7d2a…-contract-2026.pdf',
  }),
  size_bytes: z.number().int(),
  content_type: z.string().openapi({ example: 'application/pdf' }),
  uploaded_by: z.uuid().nullable().openapi({ description: 'The member who created it' }),
}).openapi('Document')

export const DocumentCreate = z
  .strictObject({
    name,
    category: DocumentCategory.optional().openapi({ description: 'Defaults to other' }),
    size_bytes: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    content_type: z
      .string()
      .regex(/^[a-z]+\/[A-Za-z0-9.+_-]+$/, 'is not a media type')
      .optional()
      .openapi({ description: 'Defaults to application/octet-stream' }),
  })
  .openapi('DocumentCreate')

/** Renaming or recategorizing keeps the file where it is; size and type belong to the file, set at creation. */
export const DocumentPatch = patchOf(DocumentCreate.pick({ name: true, category: true })).openapi(
  'DocumentPatch',
)
