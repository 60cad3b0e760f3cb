import { storageErrors } from './errors.ts'

export interface UploadLimits {
  maxBytes: number
  allowedTypes: readonly string[]
}

export interface ReceivedFile {
  bytes: Uint8Array
  mimetype: string
  cacheControl: string
  userMetadata: Record<string, unknown> | null
}

/** Room for a multipart body's boundaries, part headers and small fields around the file. */
const multipartOverhead = 64 * 1024

/**
 * The file in an upload request, as storage reads it (src/storage/uploader.ts
 * incomingFileInfo): a multipart form (storage-js sends a Blob that way) or
 * the raw body with its Content-Type. The type is checked against the allow
 * list first, then the size: a declared Content-Length over the limit is
 * refused before reading, and the body is counted as it arrives and dropped
 * the moment it passes the limit. Nothing touches the disk here.
 */
export async function receiveFile(request: Request, limits: UploadLimits): Promise<ReceivedFile> {
  const contentType = request.headers.get('content-type') ?? ''
  if (!request.body) throw storageErrors.noContentProvided()

  if (contentType.startsWith('multipart/form-data')) {
    const body = await readLimited(request.body, limits.maxBytes + multipartOverhead)
    let form: FormData
    try {
      form = await new Response(body, { headers: { 'content-type': contentType } }).formData()
    } catch {
      throw storageErrors.noContentProvided()
    }
    let file: File | undefined
    form.forEach((value) => {
      if (!file && typeof value !== 'string') file = value
    })
    if (!file) throw storageErrors.noContentProvided()
    const field = (name: string) => {
      const value = form.get(name)
      return typeof value === 'string' && value !== '' ? value : undefined
    }
    const mimetype = field('contentType') ?? (file.type || 'application/octet-stream')
    checkMimeType(mimetype, limits.allowedTypes)
    if (file.size > limits.maxBytes) throw storageErrors.entityTooLarge()
    const cacheTime = field('cacheControl')
    return {
      bytes: new Uint8Array(await file.arrayBuffer()),
      mimetype,
      cacheControl: cacheTime ? `max-age=${cacheTime}` : 'no-cache',
      userMetadata: parseUserMetadata(field('metadata')),
    }
  }

  const mimetype = contentType || 'application/octet-stream'
  checkMimeType(mimetype, limits.allowedTypes)
  const declared = Number(request.headers.get('content-length') ?? Number.NaN)
  if (Number.isFinite(declared) && declared > limits.maxBytes) {
    await discard(request.body.getReader())
    throw storageErrors.entityTooLarge()
  }
  const metadataHeader = request.headers.get('x-metadata')
  return {
    bytes: await readLimited(request.body, limits.maxBytes),
    mimetype,
    cacheControl: request.headers.get('cache-control') ?? 'no-cache',
    userMetadata: parseUserMetadata(
      metadataHeader ? Buffer.from(metadataHeader, 'base64').toString('utf8') : undefined,
    ),
  }
}

/**
 * Storage's allow-list check (uploader.ts validateMimeType), kept exact: type
 * and subtype compared as written, `type/*` allowed. Exact includes its edge:
 * a parameter stays part of the subtype, so `text/plain;charset=UTF-8` (what
 * storage-js sends for a string or Buffer without `contentType`) does not
 * match `text/plain`.
 */
export function checkMimeType(mimetype: string, allowedTypes: readonly string[]): void {
  if (allowedTypes.length === 0) return
  const [type, subtype] = mimetype.split('/')
  if (subtype === undefined) throw storageErrors.invalidMimeType(mimetype)
  const allowed = allowedTypes.some((entry) => {
    const [allowedType, allowedSubtype] = entry.split('/')
    return allowedType === type && (allowedSubtype === '*' || allowedSubtype === subtype)
  })
  if (!allowed) throw storageErrors.invalidMimeType(mimetype)
}

async function readLimited(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > maxBytes) {
      await discard(reader)
      throw storageErrors.entityTooLarge()
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes
}

/** Beyond this, a refused body is cut off rather than read to its end. */
const maxDiscardBytes = 64 * 1024 * 1024

/**
 * Reads a refused body to its end without keeping it, so the client, which
 * is still sending, gets the answer instead of a reset connection; a body
 * too large even for that is cancelled.
 */
async function discard(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  let discarded = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return
      discarded += value.byteLength
      if (discarded > maxDiscardBytes) {
        await reader.cancel()
        return
      }
    }
  } catch {
    // The client gave up: nothing left to answer.
  }
}

function parseUserMetadata(json: string | undefined): Record<string, unknown> | null {
  if (!json) return null
  try {
    const parsed: unknown = JSON.parse(json)
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : null
  } catch {
    return null
  }
}
