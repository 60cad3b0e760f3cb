import { createRouter } from '../../http/router.ts'
import { removeFilesAfterDelete } from '../../storage/remove-files-after-delete.ts'
import { defineChildResource } from '../customer-children/define-child-resource.ts'
import { Document, DocumentCreate, DocumentPatch } from './documents.schemas.ts'
import * as upload from './documents-upload.handlers.ts'
import * as routes from './documents-upload.routes.ts'
import { storageFileName } from './storage-path.ts'

const documentRows = defineChildResource({
  table: 'documents',
  noun: 'document',
  schemas: { row: Document, create: DocumentCreate, patch: DocumentPatch },
  columns: { name: 'text', category: 'public.document_category', size_bytes: 'bigint', content_type: 'text' },
  derived: {
    // `org/<org_id>/customers/<customer_id>/<document id>/<file name>`: tenant and customer
    // first, so Storage policies can decide from the path alone.
    storage_path: (body, param) =>
      `'org/' || c.org_id::text || '/customers/' || c.id::text || '/' || n.id::text || '/' || ${param(storageFileName(body.name))}::text`,
  },
  defaultSort: '-created_at',
})

/** Document rows (the five child routes), their files' upload and download, and the file going with the row. */
export const documentsRouter = createRouter()
documentsRouter.use(
  '/documents/:id',
  removeFilesAfterDelete('select storage_path from public.documents where id = $1'),
)
documentsRouter
  .openapi(routes.createUpload, upload.createUpload)
  .openapi(routes.completeUpload, upload.completeUpload)
  .openapi(routes.download, upload.download)
  .route('/', documentRows)
