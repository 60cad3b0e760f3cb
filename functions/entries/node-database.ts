import { resolve } from 'node:path'
import { type DatabaseConfig, preparedStatements } from '../config.ts'
import type { Database } from '../db/database.ts'
import { openDatabase } from '../db/open.ts'

/** PGlite keeps its files in `<DATA_DIR>/pglite`. */
export function pgliteDataDir(config: Pick<DatabaseConfig, 'DATA_DIR'>): string {
  return resolve(config.DATA_DIR, 'pglite')
}

/**
 * The database a Node process uses, from the DB_* settings: the Node root and
 * the developer commands (migrate, seed, …) open it the same way. Returns it
 * with a line saying which it is, for a banner or a log.
 */
export async function openConfiguredDatabase(
  config: DatabaseConfig,
): Promise<{ db: Database; where: string }> {
  const dataDir = pgliteDataDir(config)
  const db = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir,
    max: config.DB_POOL_MAX,
    connectTimeoutSeconds: config.DB_CONNECT_TIMEOUT_SECONDS,
    idleTimeoutSeconds: config.DB_IDLE_TIMEOUT_SECONDS,
    queueTimeoutMs: config.DB_QUEUE_TIMEOUT_MS,
    prepare: preparedStatements(config, true),
  })
  const where = config.DATABASE_URL
    ? `Postgres at ${redactUrl(config.DATABASE_URL)}`
    : `embedded PGlite in ${dataDir}`
  return { db, where }
}

/** A URL fit for a log line: the password replaced. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return '(unparseable URL)'
  }
}
