import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { Database } from '../functions/db/database.ts'
import { createPostgresDatabase } from '../functions/db/postgres.ts'
import { migrate, platformShimPath, readMigrations } from '../scripts/db/migrations.ts'
import { type SchemaSnapshot, schemaSnapshot } from './support/schema-snapshot.ts'
import { databaseUrlFor, testServerUrl } from './support/server-url.ts'

/**
 * Our migrate and the real Supabase CLI (the `supabase` package, run without
 * Docker against a plain Postgres URL) must agree on the tracking table and on
 * the schema the migrations produce. The CLI only talks to a server, so these
 * run when DATABASE_URL names one.
 */
const serverUrl = testServerUrl()
const needsServer = '(needs DATABASE_URL: the Supabase CLI talks to a server)'

const repoRoot = new URL('../', import.meta.url).pathname
const supabaseBin = join(repoRoot, 'node_modules/.bin/supabase')

interface ServerDatabase {
  db: Database
  url: string
}

describe('the Supabase CLI', () => {
  let admin: Database | undefined
  let home: string | undefined
  const created: string[] = []
  let counter = 0

  /** A new, empty database on the server, dropped after this file whatever happens. */
  async function createServerDatabase(label: string): Promise<ServerDatabase> {
    if (!serverUrl || !admin) throw new Error('needs DATABASE_URL')
    const template = inject('testDatabase')
    const runId = template.kind === 'postgres' ? template.runId : `sales_test_${process.pid}`
    const name = `${runId}_cli_${label}_${process.pid}_${++counter}`
    await admin.query(`create database ${name}`)
    created.push(name)
    const url = databaseUrlFor(serverUrl, name)
    return { db: createPostgresDatabase(url, { max: 2 }), url }
  }

  /** Runs the CLI from the repo root (it finds supabase/migrations there), time-limited and offline. */
  function supabase(...args: string[]): Promise<{ stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      execFile(
        supabaseBin,
        args,
        {
          cwd: repoRoot,
          timeout: 60_000,
          env: {
            ...process.env,
            // No telemetry, no traces, no release check (which also writes supabase/.temp/cli-latest).
            SUPABASE_TELEMETRY_DISABLED: '1',
            DO_NOT_TRACK: '1',
            SUPABASE_NO_UPDATE_NOTIFIER: '1',
            // Its state file (~/.supabase/telemetry.json) lands here, not in the developer's home.
            HOME: home as string,
          },
        },
        (error, stdout, stderr) => {
          if (error) {
            reject(new Error(`supabase ${args.join(' ')} failed: ${error.message}\n${stdout}\n${stderr}`))
          } else {
            resolve({ stdout, stderr })
          }
        },
      )
    })
  }

  /** The CLI wants the URL percent-encoded and, against a plain server, without TLS. */
  const cliUrl = (url: string) => `${url}?sslmode=disable`

  let ours: ServerDatabase
  let theirs: ServerDatabase

  beforeAll(async () => {
    if (!serverUrl) return
    admin = createPostgresDatabase(serverUrl, { max: 1 })
    home = await mkdtemp(join(tmpdir(), 'sales-supabase-home-'))
    ours = await createServerDatabase('ours')
    theirs = await createServerDatabase('theirs')
    await migrate(ours.db)
    // The CLI applies only supabase/migrations; the platform's pieces (auth, roles) come first, as on Supabase.
    await theirs.db.execScript(await readFile(platformShimPath, 'utf8'))
    await supabase('migration', 'up', '--db-url', cliUrl(theirs.url))
  })

  afterAll(async () => {
    await ours?.db.close()
    await theirs?.db.close()
    try {
      for (const name of created) await admin?.query(`drop database if exists ${name} with (force)`)
    } finally {
      await admin?.close()
      if (home) await rm(home, { recursive: true, force: true })
    }
  })

  it.skipIf(!serverUrl)(
    `should list every local migration as applied after our migrate ${needsServer}`,
    async () => {
      const { stdout } = await supabase('migration', 'list', '--db-url', cliUrl(ours.url))
      const rows = parseMigrationList(stdout)
      const local = (await readMigrations()).map((f) => f.version)
      expect(rows.map((r) => r.local)).toEqual(local)
      for (const row of rows) expect(row.remote).toBe(row.local)
    },
  )

  it.skipIf(!serverUrl)(
    `should build the same schema with migration up as our migrate does ${needsServer}`,
    async () => {
      const [expected, actual] = await Promise.all([schemaSnapshot(ours.db), schemaSnapshot(theirs.db)])
      expectNotTrivial(expected)
      expect(actual).toEqual(expected)
    },
  )

  it.skipIf(!serverUrl)(
    `should record the same versions and names as our migrate, statements split one per entry ${needsServer}`,
    async () => {
      const read = (db: Database) =>
        db.query<{ version: string; name: string; statements: string[] }>(
          'select version, name, statements from supabase_migrations.schema_migrations order by version',
        )
      const [mine, cli] = await Promise.all([read(ours.db), read(theirs.db)])
      expect(cli.map(({ version, name }) => ({ version, name }))).toEqual(
        mine.map(({ version, name }) => ({ version, name })),
      )
      // Ours keeps the file whole; the CLI keeps each statement, comments included,
      // without the terminating semicolon (what normalizeSql must see through).
      for (const row of mine) expect(row.statements).toHaveLength(1)
      // (A one-statement migration stays one entry; across all of them the CLI splits.)
      expect(cli.flatMap((row) => row.statements).length).toBeGreaterThan(cli.length)
      for (const row of cli) {
        expect(row.statements.length).toBeGreaterThanOrEqual(1)
        for (const statement of row.statements) expect(statement).not.toMatch(/;\s*$/)
      }
    },
  )

  it.skipIf(!serverUrl)(
    `should leave our migrate nothing to do after migration up ${needsServer}`,
    async () => {
      const result = await migrate(theirs.db)
      expect(result).toEqual({ applied: [], skipped: (await readMigrations()).length })
    },
  )
})

interface MigrationListRow {
  local: string
  remote: string
  time: string
}

/**
 * Reads `supabase migration list`'s table:
 *    Local            | Remote           | Time (UTC)
 *   ------------------|------------------|-----------------------
 *    `20261125100000` | `20261125100000` | `2026-11-25 10:00:00`
 * An empty cell means the migration is only on the other side.
 */
function parseMigrationList(stdout: string): MigrationListRow[] {
  const lines = stdout.split('\n').filter((line) => line.includes('|'))
  const [header, ...rows] = lines
  expect(header?.split('|').map((c) => c.trim())).toEqual(['Local', 'Remote', 'Time (UTC)'])
  return rows
    .filter((line) => !/^[\s|-]+$/.test(line))
    .map((line) => {
      const [local = '', remote = '', time = ''] = line.split('|').map((c) => c.trim().replace(/`/g, ''))
      return { local, remote, time }
    })
}

/** A snapshot of a broken query would compare equal to another broken one: check it saw our schema. */
function expectNotTrivial(snapshot: SchemaSnapshot) {
  expect(snapshot.relations.some((line) => line.startsWith('public.customers kind=r rls=true'))).toBe(true)
  expect(snapshot.policies.length).toBeGreaterThan(10)
  expect(snapshot.functions.some((line) => line.startsWith('private.set_updated_at()'))).toBe(true)
  expect(snapshot.triggers.length).toBeGreaterThan(0)
  expect(snapshot.types.some((line) => line.includes('type=e labels='))).toBe(true)
  expect(snapshot.grants.some((line) => line.startsWith('public.customers to authenticated:'))).toBe(true)
  expect(snapshot.extensions).toContain('pg_trgm in extensions version 1.6')
}
