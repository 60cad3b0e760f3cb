import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Database } from '../../../functions/db/database.ts'
import { openPGlite, pgliteDatabase } from '../../../functions/db/pglite.ts'
import { createPostgresDatabase } from '../../../functions/db/postgres.ts'
import { migrate } from '../migrations.ts'
import { readCatalogue } from './catalogue.ts'
import { unifiedDiff } from './line-diff.ts'
import { regenerateCommand, renderSchemaFile } from './render.ts'

export { regenerateCommand } from './render.ts'

export const schemaFilePath = new URL('../../../supabase/schema.sql', import.meta.url).pathname

/**
 * supabase/schema.sql's text for an EMPTY database: applies the platform shim
 * alone (our migrate with no migrations) and reads what the platform has, then
 * applies the migrations and reads again; the difference is ours.
 */
export async function migratedSchemaFile(
  db: Database,
  options: { migrationsDir?: string } = {},
): Promise<string> {
  const none = await mkdtemp(join(tmpdir(), 'schema-file-'))
  try {
    await migrate(db, { dir: none })
  } finally {
    await rm(none, { recursive: true, force: true })
  }
  const platform = await readCatalogue(db)
  await migrate(db, { dir: options.migrationsDir })
  return renderSchemaFile(await readCatalogue(db), platform)
}

/** An empty database: PGlite in memory, or a new database on the server at `serverUrl`. */
export async function openEmptyDatabase(
  serverUrl?: string,
  name = `schema_file_${process.pid}_${Math.random().toString(36).slice(2, 8)}`,
): Promise<{ db: Database; close(): Promise<void> }> {
  if (!serverUrl) {
    const db = pgliteDatabase(await openPGlite())
    return { db, close: () => db.close() }
  }
  const admin = createPostgresDatabase(serverUrl, { max: 1 })
  await admin.query(`create database ${name}`)
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  const db = createPostgresDatabase(url.toString(), { max: 1 })
  return {
    db,
    async close() {
      try {
        await db.close()
        await admin.query(`drop database if exists ${name} with (force)`)
      } finally {
        await admin.close()
      }
    },
  }
}

/** Generates the file on an empty database of its own (PGlite unless a server URL is given). */
export async function generateSchemaFile(options: { serverUrl?: string } = {}): Promise<string> {
  const { db, close } = await openEmptyDatabase(options.serverUrl)
  try {
    return await migratedSchemaFile(db)
  } finally {
    await close()
  }
}

/** Why `committed` is not `generated`, with a diff and the command that fixes it; undefined when equal. */
export function schemaFileDrift(committed: string, generated: string): string | undefined {
  if (committed === generated) return undefined
  return (
    `supabase/schema.sql is out of date with supabase/migrations/: run \`${regenerateCommand}\` and commit it.\n\n` +
    unifiedDiff(committed, generated, {
      from: 'supabase/schema.sql (committed)',
      to: 'what the migrations make',
    })
  )
}
