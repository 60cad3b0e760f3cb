import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Database } from '../../functions/db/database.ts'

export const migrationsDir = new URL('../../supabase/migrations/', import.meta.url).pathname
export const platformShimPath = new URL('../../supabase/local/platform.sql', import.meta.url).pathname

export interface MigrationFile {
  version: string
  name: string
  sql: string
}

export class MigrationChangedError extends Error {
  constructor(readonly version: string) {
    super(
      `Migration ${version} was already applied but its file has changed since. ` +
        'Landed migrations are never edited: write a new migration instead.',
    )
    this.name = 'MigrationChangedError'
  }
}

export class UnknownAppliedMigrationError extends Error {
  constructor(readonly versions: string[]) {
    super(`The database has migrations that are not in supabase/migrations/: ${versions.join(', ')}`)
    this.name = 'UnknownAppliedMigrationError'
  }
}

export class MigrationFailedError extends Error {
  constructor(file: MigrationFile, cause: unknown) {
    const e = cause as { message?: string; where?: string; code?: string }
    super(
      `Migration ${file.version}_${file.name} failed and was rolled back: ${e.message ?? String(cause)}` +
        (e.code ? ` (SQLSTATE ${e.code})` : '') +
        (e.where ? `\n  at ${e.where}` : ''),
      { cause },
    )
    this.name = 'MigrationFailedError'
  }
}

const fileNamePattern = /^(\d{14})_([a-z0-9_]+)\.sql$/

/** Reads `supabase/migrations/*.sql`, in version order, as the Supabase CLI names them. */
export async function readMigrations(dir = migrationsDir): Promise<MigrationFile[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort()
  return Promise.all(
    files.map(async (file) => {
      const match = fileNamePattern.exec(file)
      if (!match) throw new Error(`Migration file name ${file} is not YYYYMMDDHHMMSS_snake_case.sql`)
      return {
        version: match[1] as string,
        name: match[2] as string,
        sql: await readFile(join(dir, file), 'utf8'),
      }
    }),
  )
}

/**
 * Compares migration text loosely enough to accept the Supabase CLI's copy (it
 * stores the file split into statements) and strictly enough to catch any edit
 * that changes what runs: comments, whitespace and statement separators aside.
 */
export function normalizeSql(sql: string): string {
  return sql.replace(/--[^\n]*/g, '').replace(/[\s;]+/g, '')
}

/** True on a Supabase project, whose platform pieces we must leave alone. */
async function isSupabasePlatform(db: Database): Promise<boolean> {
  const [row] = await db.query<{ supabase: boolean }>(
    `select exists (select from pg_roles where rolname = 'supabase_auth_admin') as supabase`,
  )
  return row?.supabase === true
}

/** The tracking table exactly as the Supabase CLI creates it, so both see the same history. */
const trackingTableSql = `
  create schema if not exists supabase_migrations;
  create table if not exists supabase_migrations.schema_migrations (version text not null primary key);
  alter table supabase_migrations.schema_migrations add column if not exists statements text[];
  alter table supabase_migrations.schema_migrations add column if not exists name text;
`

export interface MigrateResult {
  applied: string[]
  skipped: number
}

/**
 * Applies the local platform shim (off Supabase), then every pending migration
 * in its own transaction together with its tracking row. Refuses to run when an
 * applied migration's file changed or vanished.
 */
export async function migrate(
  db: Database,
  options: { dir?: string; log?: (line: string) => void } = {},
): Promise<MigrateResult> {
  const log = options.log ?? (() => {})
  if (!(await isSupabasePlatform(db))) {
    await db.execScript(await readFile(platformShimPath, 'utf8'))
  }
  await db.execScript(trackingTableSql)

  const files = await readMigrations(options.dir)
  const applied = await db.query<{ version: string; statements: string[] | null }>(
    'select version, statements from supabase_migrations.schema_migrations order by version',
  )
  const byVersion = new Map(files.map((f) => [f.version, f]))
  const unknown = applied.filter((a) => !byVersion.has(a.version)).map((a) => a.version)
  if (unknown.length > 0) throw new UnknownAppliedMigrationError(unknown)
  for (const row of applied) {
    const file = byVersion.get(row.version) as MigrationFile
    if (row.statements && normalizeSql(row.statements.join('\n')) !== normalizeSql(file.sql)) {
      throw new MigrationChangedError(row.version)
    }
  }

  const done = new Set(applied.map((a) => a.version))
  const result: MigrateResult = { applied: [], skipped: done.size }
  for (const file of files) {
    if (done.has(file.version)) continue
    await db.transaction(async (tx) => {
      await tx.execScript(file.sql).catch((error: unknown) => {
        throw new MigrationFailedError(file, error)
      })
      await tx.query(
        'insert into supabase_migrations.schema_migrations (version, name, statements) values ($1, $2, $3)',
        [file.version, file.name, [file.sql]],
      )
    })
    log(`applied ${file.version}_${file.name}`)
    result.applied.push(file.version)
  }
  return result
}
