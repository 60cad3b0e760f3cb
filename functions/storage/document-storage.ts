import { SignJWT } from 'jose'
import type { ApiConfig } from '../config.ts'
import { problems } from '../problems/problem.ts'

/** The private bucket document files live in (created by the storage_policies migration on Supabase). */
export const documentsBucket = 'documents'

/** A signed upload URL, as storage-js's `createSignedUploadUrl` returns it. */
export interface SignedUpload {
  /** Absolute: PUT the file here (storage-js `uploadToSignedUrl(path, token, file)` builds the same). */
  signed_url: string
  token: string
  path: string
}

/** What Storage knows of a stored object. */
export interface StoredFile {
  size: number
  content_type: string
}

/** One entry of a folder listing: an object (with its stamps) or a folder (`id` null). */
export interface ListedEntry {
  /** Relative to the listed folder. */
  name: string
  id: string | null
  created_at: string | null
  updated_at: string | null
}

/**
 * Document files in Storage, as the service role: callers check the user's
 * rights under RLS first (the service role bypasses storage's policies).
 */
export interface DocumentStorage {
  createUploadUrl(path: string): Promise<SignedUpload>
  /** The object's size and type, or null when there is none. */
  info(path: string): Promise<StoredFile | null>
  /** An absolute signed download URL, or null when there is no object. */
  createDownloadUrl(path: string, expiresInSeconds: number, downloadName?: string): Promise<string | null>
  /** Removes objects; names without an object are skipped, as Storage does. */
  remove(paths: string[]): Promise<void>
  /**
   * One page of one folder level (`folder` is `''` or ends in `/`), in
   * Storage's order: objects and the folders below, by name.
   */
  list(folder: string, page: { limit: number; offset: number }): Promise<ListedEntry[]>
}

export class StorageRequestError extends Error {
  override name = 'StorageRequestError'
}

/**
 * A request the client refused to send: an object name without the server's
 * shape, or a URL that would not be exactly the one intended. Nothing reached
 * Storage, and the service key was not even fetched.
 */
export class UnsafeStorageRequestError extends StorageRequestError {
  override name = 'UnsafeStorageRequestError'
}

/**
 * Signed upload URLs live as long as Storage says, not as long as we ask:
 * storage-js's createSignedUploadUrl takes no expiry, the server signs every
 * one with its own UPLOAD_SIGNED_URL_EXPIRATION_TIME (Supabase's platform: two
 * hours; the storage server's own default is 60 s). The local stand-in
 * honours this value; the sweeps' grace periods are longer than it.
 */
export const signedUploadUrlSeconds = 2 * 60 * 60

const uuid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'

/**
 * The one shape of a document's object name, as the database builds it and its
 * check `documents_storage_path_server_built` holds it:
 * `org/<org_id>/customers/<customer_id>/<document_id>/<safe name>`, the name
 * starting with a letter, digit or `_` and holding only `A-Za-z0-9._-`.
 */
const documentObjectName = new RegExp(
  `^org/${uuid}/customers/${uuid}/${uuid}/[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$`,
)

export const isDocumentObjectName = (name: unknown): name is string =>
  typeof name === 'string' && documentObjectName.test(name)

/**
 * Refuses a segment a URL parser or a server could read as something else: empty,
 * `.` or `..` (also percent-encoded, `%2e%2e`, `%2E.`, `.%2e`, and encoded twice),
 * or holding `%`, a backslash (WHATWG URLs read it as `/`), `?`, `#` or a control
 * character. The document shape never has one; this holds on its own.
 */
function assertPlainSegment(segment: string, name: string): void {
  let decoded = segment
  for (let i = 0; i < 3 && decoded.includes('%'); i++) {
    try {
      decoded = decodeURIComponent(decoded)
    } catch {
      break
    }
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/^\.{0,2}$/.test(decoded) || /[%\\/?#\u0000-\u001f\u007f]/.test(segment)) {
    throw new UnsafeStorageRequestError(
      `refused object name ${JSON.stringify(name)}: segment ${JSON.stringify(segment)}`,
    )
  }
}

/** The object's part of a URL path: each segment checked, then encoded on its own. */
function encodedObjectPath(name: string): string {
  if (!isDocumentObjectName(name)) {
    throw new UnsafeStorageRequestError(`refused object name ${JSON.stringify(name)}: not a document's`)
  }
  const segments = name.split('/')
  for (const segment of segments) assertPlainSegment(segment, name)
  return segments.map(encodeURIComponent).join('/')
}

/**
 * The URL of `intended` (an absolute path) on `origin`, or a refusal when
 * parsing would make it anything else: dot segments resolved (`..`, `%2e%2e`),
 * a backslash read as a slash, `//host` read as another host, a query or a
 * fragment cut off. What is sent is then exactly what was meant.
 */
export function storageUrl(origin: string, intended: string): URL {
  const url = new URL(intended, origin)
  if (url.origin !== origin || url.pathname !== intended || url.search !== '' || url.hash !== '') {
    throw new UnsafeStorageRequestError(`refused storage URL: ${intended} would be ${url.href}`)
  }
  return url
}

/**
 * Supabase Storage's REST API (the one storage-js speaks), called with fetch
 * and the service role key: the same on Supabase and against the local
 * stack's stand-in, which serves the same routes at SUPABASE_URL/storage/v1.
 * The service role passes every Storage policy, so nothing a client wrote may
 * steer it: an object name must have the server's shape, each segment is
 * encoded, and the URL about to be called must be exactly the one intended
 * (same origin, same path once parsed) before the key is even fetched.
 */
export function createRestDocumentStorage(options: {
  /** The project URL, e.g. https://<ref>.supabase.co (no /storage/v1). */
  url: string
  serviceKey: () => Promise<string>
  bucket?: string
  fetch?: typeof fetch
}): DocumentStorage {
  const project = new URL(options.url)
  if (!/^https?:$/.test(project.protocol) || project.search || project.hash || project.username) {
    throw new Error(`SUPABASE_URL must be a plain http(s) URL: ${options.url}`)
  }
  const origin = project.origin
  const basePath = `${project.pathname.replace(/\/+$/, '')}/storage/v1`
  const bucket = options.bucket ?? documentsBucket
  if (!/^[a-z0-9][a-z0-9_-]{0,62}$/.test(bucket)) throw new Error(`Invalid bucket name: ${bucket}`)
  const send = options.fetch ?? fetch

  const endpoint = (route: string) => storageUrl(origin, `${basePath}${route}`)

  /** A URL Storage answered with (a signed URL's path and token), checked to stay under its own routes. */
  function answeredUrl(path: string, route: string): URL {
    const url = new URL(`${basePath}${path}`, origin)
    if (url.origin !== origin || !url.pathname.startsWith(`${basePath}${route}`)) {
      throw new StorageRequestError(`storage answered an unexpected URL: ${path}`)
    }
    return url
  }

  async function call(method: string, route: string, body?: unknown): Promise<Response> {
    const url = endpoint(route)
    const key = await options.serviceKey()
    try {
      return await send(url, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          apikey: key,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        // A redirect would carry the key elsewhere: Storage never answers these routes with one.
        redirect: 'error',
      })
    } catch {
      // fetch rejects only when Storage cannot be reached: a 503 the client may retry, not our 500.
      throw problems.unavailable('Document storage does not answer; retry the request.')
    }
  }

  /** Storage answers a missing object with HTTP 400 (or 404) and `statusCode: "404"`. */
  async function json<T>(res: Response, what: string): Promise<T | null> {
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>
    if (res.ok) return body as T
    if (res.status === 404 || body.statusCode === '404') return null
    throw new StorageRequestError(`${what}: storage answered ${res.status} ${String(body.message ?? '')}`)
  }

  return {
    async createUploadUrl(path) {
      const objectPath = encodedObjectPath(path)
      const res = await call('POST', `/object/upload/sign/${bucket}/${objectPath}`, {})
      const data = await json<{ url: string }>(res, 'signed upload URL')
      if (!data?.url) throw new StorageRequestError('signed upload URL: storage answered no URL')
      const signed = answeredUrl(data.url, `/object/upload/sign/${bucket}/`)
      const token = signed.searchParams.get('token')
      if (!token) throw new StorageRequestError('signed upload URL: no token in it')
      return { signed_url: signed.toString(), token, path }
    },
    async info(path) {
      const res = await call('GET', `/object/info/${bucket}/${encodedObjectPath(path)}`)
      const data = await json<{ size?: number; content_type?: string }>(res, 'object info')
      if (!data) return null
      return { size: Number(data.size ?? 0), content_type: String(data.content_type ?? '') }
    },
    async createDownloadUrl(path, expiresInSeconds, downloadName) {
      const res = await call('POST', `/object/sign/${bucket}/${encodedObjectPath(path)}`, {
        expiresIn: expiresInSeconds,
      })
      const data = await json<{ signedURL: string }>(res, 'signed download URL')
      if (!data) return null
      const signed = answeredUrl(data.signedURL, `/object/sign/${bucket}/`)
      if (downloadName !== undefined) signed.searchParams.set('download', downloadName)
      return signed.toString()
    },
    async remove(paths) {
      if (paths.length === 0) return
      // Names travel in the body, where no URL parser resolves them; they must still be documents'.
      for (const path of paths) encodedObjectPath(path)
      const res = await call('DELETE', `/object/${bucket}`, { prefixes: paths })
      await json(res, 'remove objects')
    },
    async list(folder, { limit, offset }) {
      // As storage-js `list()` sends it; the prefix travels in the body, never in the URL.
      const res = await call('POST', `/object/list/${bucket}`, {
        prefix: folder,
        limit,
        offset,
        sortBy: { column: 'name', order: 'asc' },
      })
      const rows = await json<ListedEntry[]>(res, 'list objects')
      if (!Array.isArray(rows)) throw new StorageRequestError('list objects: storage answered no list')
      return rows.map(({ name, id, created_at, updated_at }) => ({ name, id, created_at, updated_at }))
    },
  }
}

const storages = new WeakMap<ApiConfig, DocumentStorage | null>()

/**
 * The documents' storage for a configuration, or null when it names none
 * (no SUPABASE_URL). The key is SUPABASE_SERVICE_ROLE_KEY, or, where only the
 * project's JWT secret is set (the local stack), a short-lived service-role
 * token signed with it, which is all a service role key is.
 */
export function documentStorageFor(config: ApiConfig): DocumentStorage | null {
  const known = storages.get(config)
  if (known !== undefined) return known
  const { SUPABASE_URL: url, SUPABASE_SERVICE_ROLE_KEY: key, SUPABASE_JWT_SECRET: secret } = config
  let storage: DocumentStorage | null = null
  if (url && (key || secret)) {
    const serviceKey = key ? async () => key : () => serviceRoleToken(secret as string)
    storage = createRestDocumentStorage({ url, serviceKey })
  }
  storages.set(config, storage)
  return storage
}

/** A service-role token for one request (an hour: storage checks it against its own clock). */
export function serviceRoleToken(secret: string): Promise<string> {
  return new SignJWT({ role: 'service_role' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(secret))
}
