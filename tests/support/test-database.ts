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

/** The run's template tarball, read once per worker (files share a worker's modules: vitest.config.ts). */
let tarball: { path: string; bytes: Promise<Buffer> } | undefined

/**
 * The template as `loadDataDir` takes it. PGlite only calls `arrayBuffer()` on
 * it and reads its `type`; a Node Blob hands its bytes over through a stream,
 * which cost about 0.3 s of the 1.1 s a load takes here (43 MB, measured with
 * 6 loads each way), once for each of some 170 files in a run. So the bytes go
 * over as they are, each load getting its own copy (PGlite keeps nothing of it).
 */
export async function templateTarball(path: string): Promise<Blob> {
  if (tarball?.path !== path) tarball = { path, bytes: readFile(path) }
  const bytes = await tarball.bytes
  const tar = { type: 'application/x-tar', arrayBuffer: async () => new Uint8Array(bytes).buffer }
  return tar as unknown as Blob
}

/**
 * A migrated, empty database of this test file's own: PGlite loaded from the
 * run's template, or a copy of the server's template database.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = inject('testDatabase')
  if (template.kind === 'pglite') {
    const pg = await PGlite.create({
      loadDataDir: await templateTarball(template.dumpPath),
      extensions: pgliteExtensions,
    })
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
