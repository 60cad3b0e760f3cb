import { createRouter } from '../../http/router.ts'
import { documentFilePaths } from '../../queries/documents.ts'
import { removeFilesAfterDelete } from '../../storage/remove-files-after-delete.ts'
import { defineChildResource } from '../customer-children/define-child-resource.ts'
import { Document, DocumentCreate, DocumentPatch } from './documents.schemas.ts'
import * as upload from './documents-upload.handlers.ts'
import * as routes from './documents-upload.routes.ts'

// A document arises only by uploading its file (POST /customers/{id}/documents/uploads): it is ready
// once the server has seen the file, and the database builds where the file lives. So the generic
// child create is left out; listing, reading, renaming, recategorizing and deleting are the shared ones.
const documentRows = defineChildResource({
  table: 'documents',
  noun: 'document',
  schemas: { row: Document, create: DocumentCreate, patch: DocumentPatch },
  columns: { name: 'text', category: 'public.document_category' },
  defaultSort: '-created_at',
  creatable: false,
})

/** Document rows (four child routes), their files' upload and download, and the file going with the row. */
export const documentsRouter = createRouter()

documentsRouter.use('/documents/:id', removeFilesAfterDelete(documentFilePaths))

documentsRouter
  .openapi(routes.createUpload, upload.createUpload)
  .openapi(routes.completeUpload, upload.completeUpload)
  .openapi(routes.download, upload.download)
  .route('/', documentRows)
