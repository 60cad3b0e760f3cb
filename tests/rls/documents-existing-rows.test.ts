import { cp, mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { Database } from '../../functions/db/database.ts'
import { openPGlite, pgliteDatabase } from '../../functions/db/pglite.ts'
import { createPostgresDatabase } from '../../functions/db/postgres.ts'
import { migrate, migrationsDir } from '../../scripts/db/migrations.ts'
import { createFixture, type Fixture } from '../support/fixtures.ts'
import { databaseUrlFor, testServerUrl } from '../support/server-url.ts'

/** The migration that makes documents' paths the database's (and everything after it). */
const serverOwnedPaths = '20261204110000'

let counter = 0

/** An empty database (PGlite in memory, or a new one on the server, named after the run for its teardown). */
async function emptyDatabase(): Promise<{ db: Database; close(): Promise<void> }> {
  const serverUrl = testServerUrl()
  if (!serverUrl) {
    const db = pgliteDatabase(await openPGlite())
    return { db, close: () => db.close() }
  }
  const template = inject('testDatabase')
  const runId = template.kind === 'postgres' ? template.runId : `sales_test_${process.pid}`
  const name = `${runId}_docpaths_${process.pid}_${++counter}_${Math.random().toString(36).slice(2, 8)}`
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

/**
 * What 20261204110000 does to documents stored before it: rows with the
 * API's paths (renamed ones included) are untouched and the anchored check is
 * validated; a row written around the API with another path is kept as it is,
 * and the check stays NOT VALID so that it holds for every new or changed row.
 */
describe('documents stored before the database built their paths', () => {
  let scratch: string
  let before: string

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'documents-existing-rows-'))
    before = join(scratch, 'before')
    await cp(migrationsDir, before, { recursive: true })
    for (const file of await readdir(before)) {
      if (file.slice(0, 14) >= serverOwnedPaths) await rm(join(before, file))
    }
  })

  afterAll(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true })
  })

  /** A database migrated up to just before the change, with the fixture and `rows` written as the API did. */
  async function storedBefore(extra: (db: Database, f: Fixture) => Promise<void>) {
    const empty = await emptyDatabase()
    await migrate(empty.db, { dir: before })
    const f = await createFixture(empty.db)
    await extra(empty.db, f)
    return { ...empty, f }
  }

  const pathsOf = (db: Database) =>
    db.query<{ id: string; name: string; storage_path: string }>(
      'select id, name, storage_path from public.documents order by id',
    )

  const checkState = async (db: Database) =>
    db.query<{ conname: string; convalidated: boolean }>(
      `select conname, convalidated from pg_constraint
       where conrelid = 'public.documents'::regclass and contype = 'c' and conname like 'documents_storage_path%'
       order by conname`,
    )

  it('should leave the API’s paths alone, renamed documents included, and validate the check', async () => {
    const { db, close } = await storedBefore(async (db, f) => {
      // As the API built them: the document's own id and the safe form of the name it had then.
      await db.query(
        `with n as (select gen_random_uuid() as id)
         insert into public.documents (id, org_id, customer_id, name, storage_path)
         select n.id, $1::uuid, $2::uuid, 'Renamed later.pdf',
                'org/' || $1::text || '/customers/' || $2::text || '/' || n.id || '/Q3-report-final.pdf'
         from n`,
        [f.orgA, f.customers.repOwned],
      )
      // The fixture's hand-made paths are not the API's: the database gives them the server's shape first.
      await db.query(
        `update public.documents
         set storage_path = 'org/' || org_id || '/customers/' || customer_id || '/' || id || '/Document.pdf'
         where storage_path not like '%/Q3-report-final.pdf'`,
      )
    })
    try {
      const stored = await pathsOf(db)
      await migrate(db)
      expect(await pathsOf(db)).toEqual(stored)
      expect(await checkState(db)).toEqual([
        { conname: 'documents_storage_path_server_built', convalidated: true },
      ])
      const renamed = stored.find((d) => d.name === 'Renamed later.pdf')
      const [after] = await db.query<{ storage_path: string }>(
        `update public.documents set name = 'Renamed again.pdf' where id = $1 returning storage_path`,
        [renamed?.id],
      )
      expect(after?.storage_path).toBe(renamed?.storage_path)
    } finally {
      await close()
    }
  })

  it('should keep a row written around the API as it is, and hold every new or changed row to the shape', async () => {
    const { db, f, close } = await storedBefore(async (db, f) => {
      // Through PostgREST, before: inside the customer's folder by prefix, then anything.
      await db.query(
        `insert into public.documents (org_id, customer_id, name, storage_path)
         values ($1::uuid, $2::uuid, 'Legacy.pdf', 'org/' || $1::text || '/customers/' || $2::text || '/x/../../legacy.pdf')`,
        [f.orgA, f.customers.rep2Owned],
      )
    })
    try {
      const stored = await pathsOf(db)
      await migrate(db)
      expect(await pathsOf(db)).toEqual(stored)
      // The old prefix check stays beside the new one, which holds for new rows and changes only.
      expect(await checkState(db)).toEqual([
        { conname: 'documents_storage_path_in_customer_folder', convalidated: true },
        { conname: 'documents_storage_path_server_built', convalidated: false },
      ])
      const legacy = stored.find((d) => d.name === 'Legacy.pdf')
      await expect(
        db.query(`update public.documents set name = 'Renamed.pdf' where id = $1`, [legacy?.id]),
      ).rejects.toMatchObject({ code: '23514' })
      // It can still be deleted, and new documents get the server's path.
      const [added] = await db.query<{ id: string; storage_path: string }>(
        `insert into public.documents (org_id, customer_id, name) values ($1, $2, 'New.pdf') returning id, storage_path`,
        [f.orgA, f.customers.repOwned],
      )
      expect(added?.storage_path).toBe(`org/${f.orgA}/customers/${f.customers.repOwned}/${added?.id}/New.pdf`)
      expect(
        await db.query('delete from public.documents where id = $1 returning id', [legacy?.id]),
      ).toHaveLength(1)
    } finally {
      await close()
    }
  })
})
