import { readFile } from 'node:fs/promises'
import { PGlite } from '@electric-sql/pglite'
import { inject } from 'vitest'
import type { Database } from '../../functions/db/database.ts'
import { pgliteDatabase, pgliteExtensions } from '../../functions/db/pglite.ts'
import { createPostgresDatabase } from '../../functions/db/postgres.ts'
import { databaseUrlFor } from './server-url.ts'

export interface TestDatabase {
  db: Database
  /** Set on a server: the URL of this file's own database (for tools that connect themselves). */
  url?: string
  /** Closes the connection and, on a server, drops the database. */
  close(): Promise<void>
}

let counter = 0

/**
 * A migrated, empty database of this test file's own: PGlite loaded from the
 * run's template, or a copy of the server's template database.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = inject('testDatabase')
  if (template.kind === 'pglite') {
    const dump = new Blob([await readFile(template.dumpPath)])
    const pg = await PGlite.create({ loadDataDir: dump, extensions: pgliteExtensions })
    const db = pgliteDatabase(pg)
    return { db, close: () => db.close() }
  }
  const name = `${template.runId}_${process.pid}_${++counter}_${Math.random().toString(36).slice(2, 8)}`
  const admin = createPostgresDatabase(template.serverUrl, { max: 1 })
  await admin.query(`create database ${name} template ${template.template}`)
  const url = databaseUrlFor(template.serverUrl, name)
  const db = createPostgresDatabase(url, { max: 4 })
  return {
    db,
    url,
    async close() {
      await db.close()
      await admin.query(`drop database if exists ${name} with (force)`)
      await admin.close()
    },
  }
}
