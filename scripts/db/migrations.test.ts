import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { Database, Queryable } from '../../functions/db/database.ts'
import { openPGlite, pgliteDatabase } from '../../functions/db/pglite.ts'
import { createPostgresDatabase } from '../../functions/db/postgres.ts'
import { databaseUrlFor, testServerUrl } from '../../tests/support/server-url.ts'
import { createTestDatabase, type TestDatabase } from '../../tests/support/test-database.ts'
import {
  type MigrateResult,
  MigrationChangedError,
  MigrationFailedError,
  migrate,
  migrationsDir,
  platformShimPath,
  readMigrations,
  UnknownAppliedMigrationError,
} from './migrations.ts'

interface EmptyDatabase {
  db: Database
  close(): Promise<void>
}

let counter = 0

/**
 * A database with nothing in it, not even the platform shim: PGlite in memory,
 * or on a server a new database from `template1` (named after the run, so the
 * global teardown sweeps it if this file dies before dropping it).
 */
async function createEmptyDatabase(): Promise<EmptyDatabase> {
  const serverUrl = testServerUrl()
  if (!serverUrl) {
    const db = pgliteDatabase(await openPGlite())
    return { db, close: () => db.close() }
  }
  const template = inject('testDatabase')
  const runId = template.kind === 'postgres' ? template.runId : `sales_test_${process.pid}`
  const name = `${runId}_empty_${process.pid}_${++counter}_${Math.random().toString(36).slice(2, 8)}`
  const admin = createPostgresDatabase(serverUrl, { max: 1 })
  await admin.query(`create database ${name}`)
  const db = createPostgresDatabase(databaseUrlFor(serverUrl, name), { max: 2 })
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

/** A copy of supabase/migrations that a test may edit. */
async function copyOfMigrations(scratch: string, label: string): Promise<string> {
  const dir = join(scratch, label)
  await cp(migrationsDir, dir, { recursive: true })
  return dir
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection')
    },
    (error: unknown) => error,
  )
}

async function trackedVersions(db: Queryable): Promise<string[]> {
  const rows = await db.query<{ version: string }>(
    'select version from supabase_migrations.schema_migrations order by version',
  )
  return rows.map((r) => r.version)
}

async function relationExists(db: Queryable, name: string): Promise<boolean> {
  const [row] = await db.query<{ exists: boolean }>('select to_regclass($1) is not null as exists', [name])
  return row?.exists === true
}

describe('migrate on an empty database', () => {
  let empty: EmptyDatabase
  let db: Database
  let first: MigrateResult
  let scratch: string
  const files = readMigrations()

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'sales-migrations-'))
    empty = await createEmptyDatabase()
    db = empty.db
    first = await migrate(db)
  })

  afterAll(async () => {
    await empty?.close()
    await rm(scratch, { recursive: true, force: true })
  })

  it('should apply every migration and record its version, name and statements', async () => {
    const local = await files
    expect(local.length).toBeGreaterThan(0)
    expect(first).toEqual({ applied: local.map((f) => f.version), skipped: 0 })

    const rows = await db.query<{ version: string; name: string; statements: string[] }>(
      'select version, name, statements from supabase_migrations.schema_migrations order by version',
    )
    expect(rows).toEqual(local.map((f) => ({ version: f.version, name: f.name, statements: [f.sql] })))
    // And the schema is really there.
    expect(await relationExists(db, 'public.customers')).toBe(true)
  })

  it('should apply nothing when run again', async () => {
    const again = await migrate(db)
    expect(again).toEqual({ applied: [], skipped: (await files).length })
  })

  it('should refuse a landed migration whose file changed, naming the version, and run nothing else', async () => {
    const dir = await copyOfMigrations(scratch, 'changed')
    const [landed] = await files
    if (!landed) throw new Error('no migrations')
    const path = join(dir, `${landed.version}_${landed.name}.sql`)
    await writeFile(path, `${await readFile(path, 'utf8')}\ncreate table public.sneaked_in (id int);\n`)
    await writeFile(
      join(dir, '99991231000000_pending_after_change.sql'),
      'create table public.pending (id int);\n',
    )

    const error = await rejection(migrate(db, { dir }))
    expect(error).toBeInstanceOf(MigrationChangedError)
    expect((error as MigrationChangedError).version).toBe(landed.version)
    expect((error as Error).message).toContain(landed.version)
    expect(await relationExists(db, 'public.sneaked_in')).toBe(false)
    expect(await relationExists(db, 'public.pending')).toBe(false)
    expect(await trackedVersions(db)).toEqual((await files).map((f) => f.version))
  })

  it('should accept a landed migration whose change is only whitespace and comments', async () => {
    const dir = await copyOfMigrations(scratch, 'reformatted')
    for (const file of await readdir(dir)) {
      const path = join(dir, file)
      const sql = await readFile(path, 'utf8')
      // Comments before and after, CRLF line ends, trailing blanks: what an editor or git may do.
      const body = sql.replace(/\n/g, '  \t\r\n')
      await writeFile(path, `-- A comment added after landing.\r\n\r\n${body}\r\n-- And one at the end.\r\n`)
    }
    expect(await migrate(db, { dir })).toEqual({ applied: [], skipped: (await files).length })
  })

  it('should refuse an applied migration that is missing from the folder', async () => {
    const dir = await copyOfMigrations(scratch, 'missing-one')
    const last = (await files).at(-1)
    if (!last) throw new Error('no migrations')
    await rm(join(dir, `${last.version}_${last.name}.sql`))

    const error = await rejection(migrate(db, { dir }))
    expect(error).toBeInstanceOf(UnknownAppliedMigrationError)
    expect((error as UnknownAppliedMigrationError).versions).toEqual([last.version])
    expect((error as Error).message).toContain(last.version)
  })

  it('should refuse a migration file whose name is not YYYYMMDDHHMMSS_snake_case.sql', async () => {
    for (const badName of [
      '2026_customers.sql',
      '20261125100900_Customers.sql',
      '20261125100900-customers.sql',
    ]) {
      const dir = await copyOfMigrations(scratch, `bad-name-${badName}`)
      await writeFile(join(dir, badName), 'create table public.badly_named (id int);\n')
      await expect(migrate(db, { dir })).rejects.toThrow(
        `Migration file name ${badName} is not YYYYMMDDHHMMSS_snake_case.sql`,
      )
    }
    expect(await relationExists(db, 'public.badly_named')).toBe(false)
  })

  it('should leave the schema alone when the platform shim runs again, twice', async () => {
    const shim = await readFile(platformShimPath, 'utf8')
    await db.execScript(shim)
    await db.execScript(shim)
    const [row] = await db.query<{ roles: number; uid: number }>(
      `select (select count(*) from pg_roles where rolname in ('anon', 'authenticated', 'service_role')) as roles,
              (select count(*) from pg_proc where oid = 'auth.uid()'::regprocedure) as uid`,
    )
    expect(row).toEqual({ roles: 3, uid: 1 })
    expect(await migrate(db)).toEqual({ applied: [], skipped: (await files).length })
  })
})

describe('a migration that fails', () => {
  let t: TestDatabase
  let scratch: string

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'sales-migrations-'))
    t = await createTestDatabase()
  })

  afterAll(async () => {
    await t?.close()
    await rm(scratch, { recursive: true, force: true })
  })

  it('should be rolled back completely and reported naming its file', async () => {
    const dir = await copyOfMigrations(scratch, 'failing')
    await writeFile(
      join(dir, '99991231000000_good_one.sql'),
      'create table public.good_one (id int primary key);\n',
    )
    await writeFile(
      join(dir, '99991231000100_broken_one.sql'),
      `create table public.half_done (id int primary key);
create index half_done_id on public.half_done (id);
create function public.half_done_fn() returns int language sql as $$ select 1 $$;
alter table public.customers add column half_done text;
select no_such_function();
create table public.never_reached (id int);
`,
    )
    const before = await trackedVersions(t.db)

    const error = await rejection(migrate(t.db, { dir }))
    expect(error).toBeInstanceOf(MigrationFailedError)
    expect((error as Error).message).toContain('99991231000100_broken_one')
    expect((error as Error).message).toContain('no_such_function')

    // The migration before it landed on its own; the broken one left nothing behind.
    expect(await trackedVersions(t.db)).toEqual([...before, '99991231000000'])
    expect(await relationExists(t.db, 'public.good_one')).toBe(true)
    for (const name of ['public.half_done', 'public.half_done_id', 'public.never_reached']) {
      expect(await relationExists(t.db, name)).toBe(false)
    }
    const [leftovers] = await t.db.query<{ functions: number; columns: number }>(
      `select (select count(*) from pg_proc where proname = 'half_done_fn') as functions,
              (select count(*) from information_schema.columns
                where table_schema = 'public' and table_name = 'customers' and column_name = 'half_done') as columns`,
    )
    expect(leftovers).toEqual({ functions: 0, columns: 0 })
  })
})

describe('roles that already exist server-wide', () => {
  let empty: EmptyDatabase

  beforeAll(async () => {
    empty = await createEmptyDatabase()
  })

  afterAll(() => empty?.close())

  it('should be tolerated by the platform shim on a fresh database', async () => {
    // On a server the roles outlive every database (the run's template created them);
    // in PGlite, create them first to stand for that.
    await empty.db.execScript(`
      do $$ begin
        if not exists (select from pg_roles where rolname = 'anon') then create role anon nologin noinherit; end if;
        if not exists (select from pg_roles where rolname = 'authenticated') then create role authenticated nologin noinherit; end if;
        if not exists (select from pg_roles where rolname = 'service_role') then create role service_role nologin noinherit bypassrls; end if;
      end $$;
    `)
    const [tracking] = await empty.db.query<{ exists: boolean }>(
      `select to_regclass('supabase_migrations.schema_migrations') is not null as exists`,
    )
    expect(tracking?.exists).toBe(false)

    const result = await migrate(empty.db)
    expect(result.applied).toEqual((await readMigrations()).map((f) => f.version))
  })
})
