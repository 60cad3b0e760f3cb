import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../../context.ts'
import { bodyLimit } from '../../middleware/body-limit/index.ts'

/**
 * `POST …/orgs/{orgId}/imports/customers|contacts`, under any base path. The
 * app-wide BODY_LIMIT_BYTES skips these: they take whole files (100,000 rows
 * is some 5 MiB of CSV) and apply IMPORT_BODY_LIMIT_BYTES instead.
 */
export const isImportPath = (path: string) => /\/orgs\/[^/]+\/imports\/(customers|contacts)$/.test(path)

/**
 * The import routes' own body limit, read from the config per request. It runs
 * after authentication (it is route middleware), so no one without a token can
 * make the API buffer a large streamed body.
 */
export const importBodyLimit: MiddlewareHandler<AppEnv> = async function importBodyLimit(c, next) {
  const maxBytes = c.var.deps.config.IMPORT_BODY_LIMIT_BYTES
  const detail = `The limit for an import is ${maxBytes} bytes (IMPORT_BODY_LIMIT_BYTES); split the file into several imports.`
  return bodyLimit(maxBytes, { detail })(c, next)
}
