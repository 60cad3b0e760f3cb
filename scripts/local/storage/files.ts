import { createHash, randomUUID } from 'node:crypto'
import { mkdir, readdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { storageErrors } from './errors.ts'
import { type BucketFolders, folderFiles, objectFiles } from './paths.ts'

/** An object's row as storage returns it (src/storage/schemas/object.ts), kept in a JSON file beside the bytes. */
export interface StoredObject {
  id: string
  name: string
  bucket_id: string
  owner: string | null
  owner_id: string | null
  version: string
  created_at: string
  updated_at: string
  last_accessed_at: string
  metadata: {
    eTag: string
    size: number
    mimetype: string
    cacheControl: string
    lastModified: string
    contentLength: number
    httpStatusCode: number
  }
  user_metadata: Record<string, unknown> | null
}

export interface NewObject {
  bytes: Uint8Array
  mimetype: string
  cacheControl: string
  owner: string | null
  userMetadata: Record<string, unknown> | null
}

/**
 * One bucket on disk: `<root>/<bucket>/<name>` holds the bytes,
 * `<root>/.metadata/<bucket>/<name>.json` what storage keeps in
 * `storage.objects`. Writes go to a temporary file first and are renamed into
 * place, so a reader never sees half a file; the metadata is written last, so
 * an object exists once its metadata does.
 */
export function createObjectStore(folders: BucketFolders, bucket: string, clock: () => Date) {
  async function stat(key: string): Promise<StoredObject | null> {
    const { metadata } = objectFiles(folders, key)
    try {
      return JSON.parse(await readFile(metadata, 'utf8')) as StoredObject
    } catch (error) {
      if (isMissing(error)) return null
      throw error
    }
  }

  async function put(key: string, object: NewObject): Promise<StoredObject> {
    const files = objectFiles(folders, key)
    const previous = await stat(key)
    const now = clock().toISOString()
    const stored: StoredObject = {
      id: previous?.id ?? randomUUID(),
      name: key,
      bucket_id: bucket,
      owner: object.owner,
      owner_id: object.owner,
      version: randomUUID(),
      created_at: previous?.created_at ?? now,
      updated_at: now,
      last_accessed_at: now,
      metadata: {
        eTag: `"${createHash('md5').update(object.bytes).digest('hex')}"`,
        size: object.bytes.byteLength,
        mimetype: object.mimetype,
        cacheControl: object.cacheControl,
        lastModified: now,
        contentLength: object.bytes.byteLength,
        httpStatusCode: 200,
      },
      user_metadata: object.userMetadata,
    }
    await writeAtomically(key, files.data, object.bytes)
    await writeAtomically(key, files.metadata, JSON.stringify(stored, null, 2))
    return stored
  }

  async function read(key: string): Promise<{ object: StoredObject; bytes: Uint8Array<ArrayBuffer> } | null> {
    const object = await stat(key)
    if (!object) return null
    try {
      return { object, bytes: new Uint8Array(await readFile(objectFiles(folders, key).data)) }
    } catch (error) {
      if (isMissing(error)) return null
      throw error
    }
  }

  /** Removes the metadata first (the object is gone for readers), then the bytes, then empty folders. */
  async function remove(key: string): Promise<void> {
    const files = objectFiles(folders, key)
    await rm(files.metadata, { force: true })
    await rm(files.data, { force: true })
    await pruneEmptyFolders(dirname(files.metadata), folders.metadata)
    await pruneEmptyFolders(dirname(files.data), folders.objects)
  }

  async function writeAtomically(key: string, target: string, content: Uint8Array | string): Promise<void> {
    await mkdir(folders.uploads, { recursive: true })
    const temporary = `${folders.uploads}/${randomUUID()}`
    try {
      await writeFile(temporary, content, { flag: 'wx' })
      await mkdir(dirname(target), { recursive: true })
      await rename(temporary, target)
    } catch (error) {
      await rm(temporary, { force: true })
      if (isCode(error, 'EISDIR') || isCode(error, 'ENOTDIR') || isCode(error, 'EEXIST')) {
        // A name that is another object's folder, or runs through another object's file.
        throw storageErrors.invalidKey(key)
      }
      throw error
    }
  }

  /**
   * One folder level, as storage's `search` sees it: the objects directly in
   * `folder` (a prefix ending in `/`, or `''` for the bucket's root) and the
   * folders below it that hold at least one object (storage has no folders of
   * its own: a folder is the common prefix of object names). A folder no key
   * could name is simply empty.
   */
  async function listFolder(folder: string): Promise<{ objects: StoredObject[]; folders: string[] }> {
    const directory = folderFiles(folders, folder)
    if (!directory) return { objects: [], folders: [] }
    let entries: import('node:fs').Dirent[]
    try {
      entries = await readdir(directory, { withFileTypes: true })
    } catch (error) {
      if (isMissing(error)) return { objects: [], folders: [] }
      throw error
    }
    const objects: StoredObject[] = []
    const subfolders: string[] = []
    for (const entry of entries) {
      if (entry.isDirectory()) {
        if (await holdsAnObject(`${directory}/${entry.name}`)) subfolders.push(entry.name)
      } else if (entry.isFile() && entry.name.endsWith('.json')) {
        const object = await stat(`${folder}${entry.name.slice(0, -'.json'.length)}`)
        if (object) objects.push(object)
      }
    }
    return { objects, folders: subfolders }
  }

  /** Every object name below `folder`, at any depth (for deciding what a caller may see of a folder). */
  async function namesBelow(folder: string): Promise<string[]> {
    const directory = folderFiles(folders, folder)
    if (!directory) return []
    const entries = await readdir(directory, { recursive: true, withFileTypes: true }).catch((error) => {
      if (isMissing(error)) return []
      throw error
    })
    return entries
      .filter((e) => e.isFile() && e.name.endsWith('.json'))
      .map((e) => `${folder}${`${e.parentPath}/${e.name}`.slice(directory.length + 1, -'.json'.length)}`)
  }

  return { stat, put, read, remove, listFolder, namesBelow }
}

export type ObjectStore = ReturnType<typeof createObjectStore>

async function holdsAnObject(directory: string): Promise<boolean> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true }).catch(() => [])
  return entries.some((e) => e.isFile() && e.name.endsWith('.json'))
}

async function pruneEmptyFolders(folder: string, root: string): Promise<void> {
  let current = folder
  while (current.startsWith(`${root}/`)) {
    try {
      await rmdir(current)
    } catch {
      return
    }
    current = dirname(current)
  }
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code
}

function isMissing(error: unknown): boolean {
  return isCode(error, 'ENOENT') || isCode(error, 'ENOTDIR')
}
