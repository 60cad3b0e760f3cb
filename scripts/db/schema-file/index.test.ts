import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { Database } from '../../../functions/db/database.ts'
import { openPGlite, pgliteDatabase } from '../../../functions/db/pglite.ts'
import { testServerUrl } from '../../../tests/support/server-url.ts'
import { migrationsDir } from '../migrations.ts'
import { migratedSchemaFile, openEmptyDatabase, schemaFileDrift, schemaFilePath } from './index.ts'

interface EmptyDatabase {
  db: Database
  close(): Promise<void>
}

/**
 * Two empty databases: one for the migrations as they are, one for them plus
 * a migration nobody regenerated the file for. On PGlite the second is a
 * clone of the first (initdb once); on a server, databases named after the
 * run, so the global teardown sweeps them if this file dies first.
 */
async function twoEmptyDatabases(): Promise<[EmptyDatabase, EmptyDatabase]> {
  const serverUrl = testServerUrl()
  if (!serverUrl) {
    const pg = await openPGlite()
    const twin = await pg.clone()
    return [pg, twin].map((p) => {
      const db = pgliteDatabase(p)
      return { db, close: () => db.close() }
    }) as [EmptyDatabase, EmptyDatabase]
  }
  const template = inject('testDatabase')
  const runId = template.kind === 'postgres' ? template.runId : `sales_test_${process.pid}`
  const name = (label: string) => `${runId}_schema_file_${label}_${Math.random().toString(36).slice(2, 8)}`
  return [await openEmptyDatabase(serverUrl, name('now')), await openEmptyDatabase(serverUrl, name('drift'))]
}

/** Not regenerated for: a column, a policy, and a privilege taken from a platform function. */
const unregeneratedMigration = `
-- A change landed without \`npm run db:schema\`.
alter table public.customers add column nickname text;
create policy "Customers are visible to anyone" on public.customers for select to anon using (true);
revoke execute on function realtime.topic() from anon;
`

const onServer = testServerUrl() !== undefined

describe('supabase/schema.sql', () => {
  let scratch: string
  let databases: EmptyDatabase[] = []
  let committed: string
  let generated: string
  let drifted: string

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'schema-file-test-'))
    const withDrift = join(scratch, 'migrations')
    await cp(migrationsDir, withDrift, { recursive: true })
    await writeFile(join(withDrift, '29991231000000_not_regenerated.sql'), unregeneratedMigration)
    databases = await twoEmptyDatabases()
    const [now, drift] = databases as [EmptyDatabase, EmptyDatabase]
    committed = await readFile(schemaFilePath, 'utf8')
    generated = await migratedSchemaFile(now.db)
    drifted = await migratedSchemaFile(drift.db, { migrationsDir: withDrift })
  })

  afterAll(async () => {
    await Promise.all(databases.map((d) => d.close()))
    await rm(scratch, { recursive: true, force: true })
  })

  // The server run (CI: Postgres 15) compares its deparsed text with the file written on PGlite's
  // Postgres 18 without any normalisation: today they are identical, byte for byte. Should a version
  // ever deparse something differently, remove exactly that difference here, citing the Postgres
  // release note that proves it.
  it(`should be what supabase/migrations/ make${onServer ? ' on this server too, compared without normalisation' : ''}: \`npm run db:schema\` rewrites it`, () => {
    const drift = schemaFileDrift(committed, generated)
    if (drift) expect.fail(drift)
  })

  it('should fail, naming `npm run db:schema` and showing the diff, after a migration it was not regenerated for', () => {
    const drift = schemaFileDrift(generated, drifted) ?? ''
    expect(drift).toContain('run `npm run db:schema`')
    const changed = drift.split('\n').filter((line) => /^[-+]/.test(line) && !/^(---|\+\+\+) /.test(line))
    expect(changed).toEqual([
      '+  nickname text,',
      '+CREATE POLICY "Customers are visible to anyone" ON public.customers',
      '+  FOR SELECT TO anon',
      '+  USING (true);',
      '+',
      "+-- realtime.topic(): the platform's; privileges our migrations changed",
      '+',
      '+REVOKE EXECUTE ON FUNCTION realtime.topic() FROM anon;',
      '+',
    ])
    // Each hunk names the object it is in, as git names a function.
    expect(drift.split('\n').filter((line) => line.startsWith('@@'))).toEqual([
      expect.stringMatching(/^@@ -\d+,\d+ \+\d+,\d+ @@ CREATE TABLE public\.customers \($/),
      expect.stringMatching(/^@@ -\d+,\d+ \+\d+,\d+ @@ CREATE TABLE public\.customers \($/),
      expect.stringMatching(
        /^@@ -\d+,\d+ \+\d+,\d+ @@ -- realtime\.messages: the platform's; what our migrations add$/,
      ),
    ])
  })

  it("should show the platform's tables only through what our migrations add to them", () => {
    expect(generated).not.toMatch(/CREATE TABLE (auth|realtime|supabase_migrations)\./)
    expect(generated).not.toMatch(/CREATE OR REPLACE FUNCTION (auth|realtime)\./)
    expect(generated).toMatch(/^-- realtime\.messages: the platform's; what our migrations add -+$/m)
    expect(generated).toMatch(/^CREATE POLICY "[^"]+" ON realtime\.messages$/m)
    expect(generated).toMatch(/^CREATE TRIGGER on_auth_user_created AFTER INSERT ON auth\.users /m)
    expect(generated).toMatch(/^CREATE TABLE public\.customers \($/m)
    expect(generated).toMatch(/^CREATE OR REPLACE FUNCTION private\./m)
  })
})
