import { resolve, sep } from 'node:path'
import { storageErrors } from './errors.ts'

/** Longest object name storage accepts (the `name` column's S3 key limit). */
const maxKeyLength = 1024

/**
 * The characters storage accepts in a key (src/storage/limits.ts
 * VALID_OBJECT_KEY: S3's safe characters and a few that need care). No `%`,
 * backslash, NUL or other control character, so once the router has decoded
 * the URL once, no second decoding can turn a name into something else.
 */
const validKey = /^[A-Za-z0-9_/!.*'() &$=@;:+,?-]+$/

/**
 * An object name as the router decoded it, checked before it comes near the
 * disk: storage's characters only, and (where storage would store the name
 * literally but a file system would walk it) no empty, `.` or `..` segment.
 * Anything else is storage's InvalidKey, as storage answers a key outside its
 * characters.
 */
export function parseObjectKey(key: string | undefined): string[] {
  if (!key || key.length > maxKeyLength || !validKey.test(key)) throw storageErrors.invalidKey(key ?? '')
  const segments = key.split('/')
  if (segments.some((s) => s === '' || s === '.' || s === '..')) throw storageErrors.invalidKey(key)
  return segments
}

const uuid = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
const customerFolder = new RegExp(`^org/(${uuid})/customers/(${uuid})/.+`)

/**
 * The tenant and customer an object belongs to, from its name alone
 * (`org/<org_id>/customers/<customer_id>/<document_id>/<file name>`, the
 * layout public.documents enforces), or null for any other name.
 */
export function customerOfObject(key: string): { orgId: string; customerId: string } | null {
  const match = customerFolder.exec(key)
  return match ? { orgId: match[1] as string, customerId: match[2] as string } : null
}

/** A bucket's folders: the objects themselves, their metadata beside, uploads in progress. */
export interface BucketFolders {
  objects: string
  metadata: string
  uploads: string
}

export function bucketFolders(root: string, bucket: string): BucketFolders {
  const base = resolve(root)
  return {
    objects: resolve(base, bucket),
    // Dot folders: a bucket name never starts with a dot, so these never clash with one.
    metadata: resolve(base, '.metadata', bucket),
    uploads: resolve(base, '.uploads', bucket),
  }
}

/**
 * The metadata folder of a folder prefix (`''` for the bucket's root,
 * otherwise ending in `/`), or null when no key could start with it: such a
 * prefix lists nothing, as storage lists nothing under a prefix no object has.
 */
export function folderFiles(folders: BucketFolders, folder: string): string | null {
  if (folder === '') return folders.metadata
  if (!folder.endsWith('/')) return null
  try {
    const directory = resolve(folders.metadata, ...parseObjectKey(folder.slice(0, -1)))
    return directory.startsWith(folders.metadata + sep) ? directory : null
  } catch {
    return null
  }
}

/** Where an object's bytes and its metadata live; refuses anything that would land outside the bucket. */
export function objectFiles(folders: BucketFolders, key: string): { data: string; metadata: string } {
  const segments = parseObjectKey(key)
  const data = resolve(folders.objects, ...segments)
  const metadata = `${resolve(folders.metadata, ...segments)}.json`
  if (!data.startsWith(folders.objects + sep) || !metadata.startsWith(folders.metadata + sep)) {
    throw storageErrors.invalidKey(key)
  }
  return { data, metadata }
}
