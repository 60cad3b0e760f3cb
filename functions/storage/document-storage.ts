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
 * Supabase Storage's REST API (the one storage-js speaks), called with fetch
 * and the service role key: the same on Supabase and against the local
 * stack's stand-in, which serves the same routes at SUPABASE_URL/storage/v1.
 */
export function createRestDocumentStorage(options: {
  /** The project URL, e.g. https://<ref>.supabase.co (no /storage/v1). */
  url: string
  serviceKey: () => Promise<string>
  bucket?: string
  fetch?: typeof fetch
}): DocumentStorage {
  const base = `${options.url.replace(/\/+$/, '')}/storage/v1`
  const bucket = options.bucket ?? documentsBucket
  const send = options.fetch ?? fetch
  // Names are ours (uuids and ASCII file names, see storage-path.ts), sent as storage-js sends them.
  const objectPath = (path: string) => `${bucket}/${path.replace(/^\/+/, '')}`

  async function call(method: string, route: string, body?: unknown): Promise<Response> {
    const key = await options.serviceKey()
    try {
      return await send(`${base}${route}`, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          apikey: key,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
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
      const res = await call('POST', `/object/upload/sign/${objectPath(path)}`, {})
      const data = await json<{ url: string }>(res, 'signed upload URL')
      if (!data?.url) throw new StorageRequestError('signed upload URL: storage answered no URL')
      const signed = new URL(`${base}${data.url}`)
      const token = signed.searchParams.get('token')
      if (!token) throw new StorageRequestError('signed upload URL: no token in it')
      return { signed_url: signed.toString(), token, path }
    },

    async info(path) {
      const res = await call('GET', `/object/info/${objectPath(path)}`)
      const data = await json<{ size?: number; content_type?: string }>(res, 'object info')
      if (!data) return null
      return { size: Number(data.size ?? 0), content_type: String(data.content_type ?? '') }
    },

    async createDownloadUrl(path, expiresInSeconds, downloadName) {
      const res = await call('POST', `/object/sign/${objectPath(path)}`, { expiresIn: expiresInSeconds })
      const data = await json<{ signedURL: string }>(res, 'signed download URL')
      if (!data) return null
      const download = downloadName === undefined ? '' : `&download=${encodeURIComponent(downloadName)}`
      return `${base}${data.signedURL}${download}`
    },

    async remove(paths) {
      if (paths.length === 0) return
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
