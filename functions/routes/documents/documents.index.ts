import { defineChildResource } from '../customer-children/define-child-resource.ts'
import { Document, DocumentCreate, DocumentPatch } from './documents.schemas.ts'
import { storageFileName } from './storage-path.ts'

export const documentsRouter = defineChildResource({
  table: 'documents',
  noun: 'document',
  schemas: { row: Document, create: DocumentCreate, patch: DocumentPatch },
  columns: { name: 'text', category: 'public.document_category', size_bytes: 'bigint', content_type: 'text' },
  derived: {
    // `<org_id>/<customer_id>/<document id>-<file name>`: the tenant first, as Storage policies check it.
    storage_path: (body, param) =>
      `c.org_id::text || '/' || c.id::text || '/' || n.id::text || '-' || ${param(storageFileName(body.name))}::text`,
  },
  defaultSort: '-created_at',
})
