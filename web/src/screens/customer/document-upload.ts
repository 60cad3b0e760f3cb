import type { ApiClient } from '../../api/client.ts'
import { newIdempotencyKey } from '../../api/client.ts'
import type { Document, DocumentCategory, DocumentUpload } from '../../api/types.ts'
import { StorageUploadError } from './upload-messages.ts'

/**
 * PUTs the file to a signed Storage URL as storage-js's `uploadToSignedUrl`
 * does for a raw body (content-type, cache-control, x-upsert), but with
 * XMLHttpRequest: fetch cannot report upload progress.
 */
export function putToSignedUrl(
  url: string,
  file: Blob,
  contentType: string,
  onProgress: (fraction: number) => void,
  signal: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('PUT', url)
    xhr.setRequestHeader('content-type', contentType)
    xhr.setRequestHeader('cache-control', 'max-age=3600')
    xhr.setRequestHeader('x-upsert', 'false')
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total)
    }
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1)
        return resolve()
      }
      let message = `HTTP ${xhr.status}`
      try {
        message = (JSON.parse(xhr.responseText) as { message?: string }).message ?? message
      } catch {
        // Not storage's JSON: the status says enough.
      }
      reject(new StorageUploadError(xhr.status, message))
    }
    xhr.onerror = () => reject(new StorageUploadError(0, 'network'))
    xhr.onabort = () => reject(new DOMException('The upload was cancelled.', 'AbortError'))
    if (signal.aborted) return xhr.onabort(new ProgressEvent('abort'))
    signal.addEventListener('abort', () => xhr.abort(), { once: true })
    xhr.send(file)
  })
}

export type UploadStep = 'checking' | 'uploading' | 'finishing'

export interface UploadOptions {
  api: ApiClient
  customerId: string
  file: File
  category: DocumentCategory
  signal: AbortSignal
  onStep: (step: UploadStep) => void
  onProgress: (fraction: number) => void
}

/** The type declared for a file: what the browser knows, or the generic one (which the allow-list may refuse). */
export const contentTypeOf = (file: { type: string }) => file.type || 'application/octet-stream'

/**
 * The whole upload (docs/api.md "Document files"): ask for a signed URL (the
 * API refuses a wrong type or size here, before any byte is sent), send the
 * bytes straight to Storage, confirm. If anything after the first step fails
 * or is cancelled, the pending document is deleted, so nothing half-done stays.
 */
export async function uploadDocument(options: UploadOptions): Promise<Document> {
  const { api, file, signal } = options
  const contentType = contentTypeOf(file)
  options.onStep('checking')
  const { document, upload } = await api.post<DocumentUpload>(
    `/customers/${options.customerId}/documents/uploads`,
    {
      body: { name: file.name, category: options.category, content_type: contentType, size_bytes: file.size },
      idempotencyKey: newIdempotencyKey(),
      // No signal: once sent, the server may create the document, and we need its id to remove it.
    },
  )
  try {
    if (signal.aborted) throw new DOMException('The upload was cancelled.', 'AbortError')
    options.onStep('uploading')
    await putToSignedUrl(upload.signed_url, file, contentType, options.onProgress, signal)
    options.onStep('finishing')
    // The answer carries the new version, so the row can be renamed with If-Match at once.
    return await api.post<Document>(`/documents/${document.id}/complete`, { signal })
  } catch (error) {
    // Without If-Match: it is our own pending row, whatever happened to it meanwhile.
    await api.delete(`/documents/${document.id}`).catch(() => undefined)
    throw error
  }
}
