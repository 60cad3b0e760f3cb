import {
  bearerAuth,
  createApiRoute,
  jsonBody,
  jsonContent,
  problemResponses,
} from '../../http/openapi-common.ts'
import { IdParams } from '../../http/params.ts'
import { Document, DocumentDownload, DocumentUpload, DocumentUploadCreate } from './documents.schemas.ts'

const tags = ['Documents']

export const createUpload = createApiRoute({
  method: 'post',
  path: '/customers/{id}/documents/uploads',
  tags,
  security: bearerAuth,
  summary: 'Start uploading a file to a customer: a pending document and a signed upload URL',
  description:
    'Checks the declared type against DOCUMENT_ALLOWED_TYPES (415) and the size against DOCUMENT_MAX_BYTES (413) ' +
    'before anything is stored. Upload the file to `upload.signed_url` (storage-js: ' +
    '`uploadToSignedUrl(upload.path, upload.token, file)`), then POST /documents/{id}/complete.',
  request: { params: IdParams, body: jsonBody(DocumentUploadCreate) },
  responses: {
    201: jsonContent(DocumentUpload, 'The pending document and where to upload its file'),
    ...problemResponses(403, 404),
  },
})

export const completeUpload = createApiRoute({
  method: 'post',
  path: '/documents/{id}/complete',
  tags,
  security: bearerAuth,
  summary: 'Confirm an upload: the document becomes ready with the stored size and type',
  description:
    'Answers 409 while the file is not in Storage, 422 when the stored file is not what was declared ' +
    '(it is removed; start again). Completing a ready document returns it unchanged.',
  request: { params: IdParams },
  responses: {
    200: jsonContent(Document, 'The ready document'),
    ...problemResponses(403, 404, 409, 422),
  },
})

export const download = createApiRoute({
  method: 'get',
  path: '/documents/{id}/download',
  tags,
  security: bearerAuth,
  summary: 'A short-lived signed URL to download a document’s file',
  request: { params: IdParams },
  responses: {
    200: jsonContent(DocumentDownload, 'Where to download the file'),
    ...problemResponses(404, 409),
  },
})
