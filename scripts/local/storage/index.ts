import { type Context, Hono } from 'hono'
import { defaultDocumentTypes } from '../../../functions/config.ts'
import type { Database } from '../../../functions/db/database.ts'
import { signedUploadUrlSeconds } from '../../../functions/storage/document-storage.ts'
import { type Caller, createCallerVerifier, createObjectPolicies } from './authorize.ts'
import { StorageError, storageErrors } from './errors.ts'
import { createObjectStore, type StoredObject } from './files.ts'
import { bucketFolders, parseObjectKey } from './paths.ts'
import { createUrlSigner } from './signing.ts'
import { receiveFile } from './upload.ts'

export interface LocalStorageOptions {
  db: Database
  /** The project's JWT secret: verifies callers and signs URLs. */
  jwtSecret: string
  /** Root folder; each bucket is a folder inside (`<DATA_DIR>/storage` in the stack). */
  dataDir: string
  /** The one private bucket. */
  bucket?: string
  /** Largest object accepted, in bytes. */
  maxBytes?: number
  /** Content types accepted (`type/subtype` or `type/*`); empty accepts any. */
  allowedTypes?: readonly string[]
  /**
   * Lifetime of a signed upload URL, in seconds: a setting of the server, not
   * of the request (storage's UPLOAD_SIGNED_URL_EXPIRATION_TIME); Supabase's
   * two hours by default.
   */
  uploadExpiresIn?: number
  clock?: () => Date
}

export const defaultBucket = 'documents'
export const defaultMaxBytes = 25 * 1024 * 1024
/** The API's default allow-list (DOCUMENT_ALLOWED_TYPES), so both refuse the same files. */
export const defaultAllowedTypes: readonly string[] = defaultDocumentTypes

/**
 * Supabase Storage's object API, as much of it as the product uses, on disk:
 * signed upload and download URLs, authenticated download and delete, with
 * storage's URLs, JSON and errors so `@supabase/storage-js` cannot tell the
 * difference. Who may do what is decided by the database, as the caller, with
 * the same helpers the `storage.objects` policies use on Supabase. Mount it at
 * `/storage/v1`.
 */
export function createLocalStorage(options: LocalStorageOptions) {
  const bucket = options.bucket ?? defaultBucket
  if (!/^[a-z0-9][a-z0-9_-]{0,62}$/.test(bucket)) throw new Error(`Invalid bucket name: ${bucket}`)
  const clock = options.clock ?? (() => new Date())
  const limits = {
    maxBytes: options.maxBytes ?? defaultMaxBytes,
    allowedTypes: options.allowedTypes ?? defaultAllowedTypes,
  }
  const uploadExpiresIn = options.uploadExpiresIn ?? signedUploadUrlSeconds
  const verifyCaller = createCallerVerifier(options.jwtSecret, clock)
  const policies = createObjectPolicies(options.db)
  const signer = createUrlSigner(options.jwtSecret, clock)
  const store = createObjectStore(bucketFolders(options.dataDir, bucket), bucket, clock)

  /** The bucket and object name of a request; only this bucket exists. */
  function objectOf(c: Context): { key: string; url: string } {
    if (c.req.param('bucket') !== bucket) throw storageErrors.noSuchBucket()
    const key = c.req.param('key') ?? ''
    parseObjectKey(key)
    return { key, url: `${bucket}/${key}` }
  }

  const caller = (c: Context): Promise<Caller> => verifyCaller(c.req.header('authorization'))

  const app = new Hono()

  app.onError((error, c) => {
    const known = error instanceof StorageError ? error : storageErrors.internal()
    if (!(error instanceof StorageError)) console.error('local storage:', error)
    return c.json(known.toBody(), known.httpStatus)
  })

  app.notFound((c) =>
    c.json(
      { statusCode: '404', error: 'Not Found', message: `Route ${c.req.method}:${c.req.path} not found` },
      404,
    ),
  )

  // Signed upload URL: asked for by someone the insert policy lets in.
  app.post('/object/upload/sign/:bucket/:key{.+}', async (c) => {
    const who = await caller(c)
    const { key, url } = objectOf(c)
    const upsert = c.req.header('x-upsert') === 'true'
    if (!(await policies.canWrite(who, key))) throw storageErrors.rowLevelSecurity()
    if (!upsert && (await store.stat(key))) throw storageErrors.alreadyExists()
    const owner = who.kind === 'user' ? who.claims.sub : undefined
    const token = await signer.sign({ owner, url, upsert, scope: 'upload' }, uploadExpiresIn)
    return c.json({ url: `/object/upload/sign/${url}?token=${token}`, token })
  })

  // Upload through a signed URL: the token is the permission.
  app.put('/object/upload/sign/:bucket/:key{.+}', async (c) => {
    const { key, url } = objectOf(c)
    const claims = await signer.verify(requiredToken(c), url, 'upload')
    if (!claims.upsert && (await store.stat(key))) throw storageErrors.alreadyExists()
    const file = await receiveFile(c.req.raw, limits)
    await store.put(key, { ...file, owner: claims.owner ?? null })
    return c.json({ Key: url })
  })

  // Signed download URL: the object must exist and be visible to the caller.
  app.post('/object/sign/:bucket/:key{.+}', async (c) => {
    const who = await caller(c)
    const { key, url } = objectOf(c)
    const expiresIn = await readExpiresIn(c)
    if (!(await policies.canRead(who, key)) || !(await store.stat(key))) throw storageErrors.noSuchKey()
    const token = await signer.sign({ url, scope: 'download' }, expiresIn)
    return c.json({ signedURL: `/object/sign/${url}?token=${token}` })
  })

  // Download through a signed URL.
  app.get('/object/sign/:bucket/:key{.+}', async (c) => {
    const { key, url } = objectOf(c)
    await signer.verify(requiredToken(c), url, 'download')
    return serveObject(c, key)
  })

  // Object info (storage-js `info()`): registered before `/object/:bucket/…`, which would take `info` for a bucket.
  for (const route of ['/object/info/authenticated/:bucket/:key{.+}', '/object/info/:bucket/:key{.+}']) {
    app.get(route, async (c) => {
      const who = await caller(c)
      const { key } = objectOf(c)
      const object = (await policies.canRead(who, key)) ? await store.stat(key) : null
      if (!object) throw storageErrors.noSuchKey()
      return c.json({
        id: object.id,
        name: object.name,
        version: object.version,
        bucket_id: object.bucket_id,
        size: object.metadata.size,
        content_type: object.metadata.mimetype,
        cache_control: object.metadata.cacheControl,
        etag: object.metadata.eTag,
        metadata: object.user_metadata ?? {},
        last_modified: object.metadata.lastModified,
        created_at: object.created_at,
      })
    })
  }

  // Authenticated download (storage-js `download()` asks `/object/<bucket>/<name>`).
  for (const route of ['/object/authenticated/:bucket/:key{.+}', '/object/:bucket/:key{.+}']) {
    app.get(route, async (c) => {
      const who = await caller(c)
      const { key } = objectOf(c)
      if (!(await policies.canRead(who, key))) throw storageErrors.noSuchKey()
      return serveObject(c, key)
    })
  }

  // List one folder level (storage-js `list()`), as storage's `search` function answers.
  app.post('/object/list/:bucket', async (c) => {
    const who = await caller(c)
    if (c.req.param('bucket') !== bucket) throw storageErrors.noSuchBucket()
    const query = await readListQuery(c)
    // Storage takes the prefix for a folder: `a/b` lists `a/b/`.
    const folder = query.prefix === '' || query.prefix.endsWith('/') ? query.prefix : `${query.prefix}/`
    if (who.kind === 'anon') return c.json([])
    const { objects, folders } = await store.listFolder(folder)
    // RLS applies there (the function is security invoker): a member sees the objects they may
    // read, and a folder only where they may read something inside it.
    const readable = async (name: string) => policies.canRead(who, name)
    const entries: ListedEntry[] = []
    for (const object of objects) {
      if (await readable(object.name)) entries.push(listedObject(object, folder))
    }
    for (const name of folders) {
      const inside = who.kind === 'service' ? [''] : await store.namesBelow(`${folder}${name}/`)
      for (const below of inside) {
        if (who.kind === 'service' || (await readable(below))) {
          entries.push(listedFolder(name))
          break
        }
      }
    }
    const search = query.search.toLowerCase()
    const matching = entries.filter((e) => e.name.toLowerCase().startsWith(search))
    return c.json(sortListing(matching, query.sortBy).slice(query.offset, query.offset + query.limit))
  })

  // Delete: as on Supabase, names the caller may not delete (or that do not exist) are
  // skipped, and the answer lists what was removed.
  app.delete('/object/:bucket', async (c) => {
    const who = await caller(c)
    if (c.req.param('bucket') !== bucket) throw storageErrors.noSuchBucket()
    const prefixes = await readPrefixes(c)
    const removed: StoredObject[] = []
    for (const key of new Set(prefixes)) {
      if (!isValidKey(key) || !(await policies.canWrite(who, key))) continue
      const object = await store.stat(key)
      if (!object) continue
      await store.remove(key)
      removed.push(object)
    }
    return c.json(removed)
  })

  async function serveObject(c: Context, key: string): Promise<Response> {
    const found = await store.read(key)
    if (!found) throw storageErrors.noSuchKey()
    const { object, bytes } = found
    const headers: Record<string, string> = {
      'content-type': object.metadata.mimetype,
      'content-length': String(bytes.byteLength),
      'cache-control': object.metadata.cacheControl,
      etag: object.metadata.eTag,
      'last-modified': new Date(object.metadata.lastModified).toUTCString(),
    }
    const download = c.req.query('download')
    if (download !== undefined) {
      const name = download || key.slice(key.lastIndexOf('/') + 1)
      headers['content-disposition'] = `attachment; filename=${encodeURIComponent(name)};`
    }
    return c.body(bytes, 200, headers)
  }

  return app
}

function requiredToken(c: Context): string {
  const token = c.req.query('token')
  if (!token) throw storageErrors.invalidRequest("querystring must have required property 'token'")
  return token
}

async function readExpiresIn(c: Context): Promise<number> {
  const body = await c.req.json().catch(() => undefined)
  const expiresIn = (body as { expiresIn?: unknown } | undefined)?.expiresIn
  if (typeof expiresIn !== 'number' || !Number.isInteger(expiresIn) || expiresIn < 1) {
    throw storageErrors.invalidRequest('body/expiresIn must be an integer of at least 1')
  }
  return expiresIn
}

async function readPrefixes(c: Context): Promise<string[]> {
  const body = await c.req.json().catch(() => undefined)
  const prefixes = (body as { prefixes?: unknown } | undefined)?.prefixes
  if (!Array.isArray(prefixes) || prefixes.length === 0 || !prefixes.every((p) => typeof p === 'string')) {
    throw storageErrors.invalidRequest('body/prefixes must be a non-empty array of strings')
  }
  return prefixes
}

interface ListQuery {
  prefix: string
  limit: number
  offset: number
  search: string
  sortBy: { column: 'name' | 'updated_at' | 'created_at' | 'last_accessed_at'; order: 'asc' | 'desc' }
}

/** A row of storage's `search`: an object, or a folder (every field but the name null). */
interface ListedEntry {
  name: string
  id: string | null
  updated_at: string | null
  created_at: string | null
  last_accessed_at: string | null
  metadata: StoredObject['metadata'] | null
}

const listedObject = (object: StoredObject, folder: string): ListedEntry => ({
  name: object.name.slice(folder.length),
  id: object.id,
  updated_at: object.updated_at,
  created_at: object.created_at,
  last_accessed_at: object.last_accessed_at,
  metadata: object.metadata,
})

const listedFolder = (name: string): ListedEntry => ({
  name,
  id: null,
  updated_at: null,
  created_at: null,
  last_accessed_at: null,
  metadata: null,
})

/**
 * Storage's order (migrations/tenant 0063 `storage.search`): by name, objects
 * and folders interleaved, compared lower-cased byte by byte (COLLATE "C"), a
 * folder as its name with the `/` that follows it in its objects' names; by any
 * other column, the folders first (by name), then the objects by that column.
 */
function sortListing(entries: ListedEntry[], sortBy: ListQuery['sortBy']): ListedEntry[] {
  const direction = sortBy.order === 'desc' ? -1 : 1
  const nameKey = (e: ListedEntry) => Buffer.from(`${e.name.toLowerCase()}${e.id === null ? '/' : ''}`)
  if (sortBy.column === 'name') {
    return [...entries].sort((a, b) => direction * Buffer.compare(nameKey(a), nameKey(b)))
  }
  const column = sortBy.column
  const folders = entries.filter((e) => e.id === null)
  const objects = entries.filter((e) => e.id !== null)
  folders.sort((a, b) => direction * Buffer.compare(nameKey(a), nameKey(b)))
  objects.sort((a, b) => direction * String(a[column]).localeCompare(String(b[column])))
  return [...folders, ...objects]
}

/**
 * The list body as storage validates it (src/http/routes/object/listObjects.ts):
 * `prefix` required; `limit` an integer of at least 1 (100 when absent, at most
 * 1,500 as the search function caps it), `offset` of at least 0.
 */
async function readListQuery(c: Context): Promise<ListQuery> {
  const body = (await c.req.json().catch(() => undefined)) as Record<string, unknown> | undefined
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw storageErrors.invalidRequest('body must be object')
  }
  const { prefix, limit = 100, offset = 0, search = '', sortBy } = body
  if (typeof prefix !== 'string')
    throw storageErrors.invalidRequest("body must have required property 'prefix'")
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
    throw storageErrors.invalidRequest('body/limit must be >= 1')
  }
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) {
    throw storageErrors.invalidRequest('body/offset must be >= 0')
  }
  if (typeof search !== 'string') throw storageErrors.invalidRequest('body/search must be string')
  const sort = (sortBy ?? {}) as { column?: unknown; order?: unknown }
  const column = sort.column ?? 'name'
  const order = sort.order ?? 'asc'
  if (
    column !== 'name' &&
    column !== 'updated_at' &&
    column !== 'created_at' &&
    column !== 'last_accessed_at'
  ) {
    throw storageErrors.invalidRequest('body/sortBy/column must be equal to one of the allowed values')
  }
  if (order !== 'asc' && order !== 'desc') {
    throw storageErrors.invalidRequest('body/sortBy/order must be equal to one of the allowed values')
  }
  return { prefix, limit: Math.min(limit, 1500), offset, search, sortBy: { column, order } }
}

function isValidKey(key: string): boolean {
  try {
    parseObjectKey(key)
    return true
  } catch {
    return false
  }
}
