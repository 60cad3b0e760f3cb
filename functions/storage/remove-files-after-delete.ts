import type { Context, Next } from 'hono'
import type { AppEnv } from '../context.ts'
import { asCaller } from '../http/as-caller.ts'
import { documentStorageFor, isDocumentObjectName } from './document-storage.ts'

/**
 * Deleting rows that own files deletes the files: the objects' names are read
 * as the caller before the delete (`pathsSql`, `$1` = the `:id` in the path),
 * and removed (as the service role) once the delete has answered 204, i.e.
 * committed. A file that cannot be removed is logged; the rows are gone
 * either way. Mount it on the DELETE route's path, before the route.
 */
export const removeFilesAfterDelete = (pathsSql: string) =>
  async function removeFilesAfterDelete(c: Context<AppEnv>, next: Next) {
    if (c.req.method !== 'DELETE') return next()
    const storage = documentStorageFor(c.var.deps.config)
    const id = c.req.param('id')
    let paths: string[] = []
    if (storage && id && /^[0-9a-f-]{36}$/i.test(id) && c.var.claims) {
      const rows = await asCaller(c, (tx) => tx.query<{ storage_path: string }>(pathsSql, [id]))
      // A path the database did not build (a row older than 20261204110000) is never sent to Storage.
      paths = rows.map((row) => row.storage_path).filter(isDocumentObjectName)
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
