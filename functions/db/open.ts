import { lockDataDir } from './data-dir-lock.ts'
import type { Database } from './database.ts'
import { openPGlite, pgliteDatabase } from './pglite.ts'
import { createPostgresDatabase, type PostgresOptions } from './postgres.ts'

export interface OpenDatabaseOptions extends PostgresOptions {
  /** A Postgres server; when absent, the embedded PGlite in `dataDir`. */
  databaseUrl?: string | undefined
  /** PGlite's data folder; `memory://` for a throw-away database. */
  dataDir: string
}

/** Opens the database a Node process should use: the server when a URL is given, else PGlite. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return createPostgresDatabase(options.databaseUrl, options)
  if (options.dataDir === 'memory://') return pgliteDatabase(await openPGlite())
  const lock = lockDataDir(options.dataDir)
  try {
    return pgliteDatabase(await openPGlite(options.dataDir), () => lock.release())
  } catch (error) {
    lock.release()
    throw error
  }
}
