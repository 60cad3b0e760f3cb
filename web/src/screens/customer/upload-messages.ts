import { isApiError } from '../../api/api-error.ts'
import { describeError } from '../../api/describe-error.ts'
import { formatBytes } from '../../format/numbers.ts'

/** What went wrong in an upload, for the person uploading: which step, in plain words. */
export class StorageUploadError extends Error {
  override name = 'StorageUploadError'
  constructor(
    readonly status: number,
    readonly storageMessage: string,
  ) {
    super(storageMessage)
  }
}

/** Media types people know by name; anything else is shown as its type. */
const typeNames: Record<string, string> = {
  'application/pdf': 'PDF',
  'image/png': 'PNG image',
  'image/jpeg': 'JPEG image',
  'text/plain': 'text file',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel workbook',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'PowerPoint presentation',
}

const listInWords = (items: string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`

/** "Accepted types: application/pdf, image/png." → ["PDF", "PNG image"]. */
export function acceptedTypesOf(detail: string | undefined): string[] {
  const list = /Accepted types: (.+?)\.?$/.exec(detail ?? '')?.[1]
  return list ? list.split(/,\s*/).map((t) => typeNames[t] ?? t) : []
}

/** "The limit is 26214400 bytes." → 26214400. */
export function byteLimitOf(detail: string | undefined): number | undefined {
  const n = Number(/(\d+) bytes/.exec(detail ?? '')?.[1])
  return Number.isFinite(n) && n > 0 ? n : undefined
}

/** A refused or failed upload in words; `file` is what the person chose. */
export function describeUploadError(
  error: unknown,
  file: { name: string; type: string; size: number },
): string {
  if (error instanceof StorageUploadError) {
    if (error.status === 413) return `“${file.name}” is larger than storage accepts. Nothing was saved.`
    if (error.status === 0)
      return 'The file could not be sent: the connection dropped. Nothing was saved; try again.'
    return `Storage refused “${file.name}” (${error.storageMessage}). Nothing was saved; try again.`
  }
  if (!isApiError(error)) return describeError(error, 'this document')
  switch (error.code) {
    case 'document_type_not_allowed': {
      const accepted = acceptedTypesOf(error.problem?.detail)
      const kind = file.type ? `this kind of file (${file.type})` : 'files without a known type'
      return `“${file.name}” cannot be uploaded: ${kind} is not accepted.${
        accepted.length ? ` Upload a ${listInWords(accepted)}.` : ''
      }`
    }
    case 'document_too_large': {
      const limit = byteLimitOf(error.problem?.detail)
      return `“${file.name}” is too large (${formatBytes(file.size)}).${
        limit ? ` Files can be at most ${formatBytes(limit)}.` : ''
      }`
    }
    case 'conflict':
      return `“${file.name}” did not arrive in storage, so it was not saved. Try again.`
    case 'upload_mismatch':
      return `“${file.name}” changed while it was uploading (its size or type is not what was sent), so it was not saved. Try again.`
    default:
      return describeError(error, 'this document')
  }
}
