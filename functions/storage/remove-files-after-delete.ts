import type { Context, Next } from 'hono'
import type { AppEnv } from '../context.ts'
import type { Queryable } from '../db/database.ts'
import { asCaller } from '../queries/as-caller.ts'
import { documentStorageFor, isDocumentObjectName } from './document-storage.ts'

/**
 * Deleting rows that own files deletes the files: the objects' names are read
 * as the caller before the delete (`filePaths` of the `:id` in the path),
 * and removed (as the service role) once the delete has answered 204, i.e.
 * committed. A file that cannot be removed is logged; the rows are gone
 * either way. Mount it on the DELETE route's path, before the route.
 */
export const removeFilesAfterDelete = (filePaths: (tx: Queryable, id: string) => Promise<string[]>) =>
  async function removeFilesAfterDelete(c: Context<AppEnv>, next: Next) {
    if (c.req.method !== 'DELETE') return next()
    const storage = documentStorageFor(c.var.deps.config)
    const id = c.req.param('id')
    let paths: string[] = []
    if (storage && id && /^[0-9a-f-]{36}$/i.test(id) && c.var.claims) {
      const named = await asCaller(c, (tx) => filePaths(tx, id))
      // A path the database did not build (a row older than 20261204110000) is never sent to Storage.
      paths = named.filter(isDocumentObjectName)
    }
    await next()
    if (!storage || paths.length === 0 || c.res.status !== 204) return
    try {
      await storage.remove(paths)
    } catch (error) {
      c.var.deps.log({
        level: 'warn',
        msg: 'files not removed after delete',
        request_id: c.var.requestId,
        storage_paths: paths,
        error: error instanceof Error ? error.message : String(error),
      })
    }
  }
