import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { Database } from '../../../functions/db/database.ts'
import { pgliteDatabase, pgliteExtensions } from '../../../functions/db/pglite.ts'
import { createPostgresDatabase } from '../../../functions/db/postgres.ts'
import { createFixture } from '../../../tests/support/fixtures.ts'
import { databaseUrlFor, testServerUrl } from '../../../tests/support/server-url.ts'
import { createTestDatabase, templateTarball } from '../../../tests/support/test-database.ts'
import { seedDatabase } from '../../seed/load.ts'
import { type TableChecksum, tableChecksums } from './checksums.ts'
import { backupDatabase, restoreDatabase } from './index.ts'

/** A seed big enough to fill every table, small enough for a test. */
const customers = 40

describe('tableChecksums', () => {
  it('should stay equal while nothing changes, and change with one value of one row', async () => {
    const t = await createTestDatabase()
    try {
      await createFixture(t.db)
      const before = await tableChecksums(t.db)
      const customersOf = (sums: TableChecksum[]) => sums.find((s) => s.table === 'public.customers')
      expect(customersOf(before)?.rows).toBe(3)
      expect(await tableChecksums(t.db)).toEqual(before)
      await t.db.query(
        `update public.contacts set phone = '+1 555 0100' where id = (select min(id::text)::uuid from public.contacts)`,
      )
      const after = await tableChecksums(t.db)
      const changed = after.filter((s, i) => s.md5 !== before[i]?.md5).map((s) => s.table)
      // (The realtime broadcast of the change may be written too: realtime.messages.)
      expect(changed.filter((table) => table.startsWith('public.'))).toEqual(['public.contacts'])
    } finally {
      await t.close()
    }
  })
})

describe('backup and restore', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sales-backup-'))
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  it.skipIf(testServerUrl())(
    'should round-trip a seeded PGlite data folder: same rows, same checksums, table by table (PGlite run)',
    async () => {
      const template = inject('testDatabase')
      if (template.kind !== 'pglite') throw new Error('expected the PGlite run')
      const source = join(dir, 'source')
      const restored = join(dir, 'restored')
      // A migrated data folder on disk, as npm start keeps it.
      const pg = await PGlite.create({
        dataDir: source,
        loadDataDir: await templateTarball(template.dumpPath),
        extensions: pgliteExtensions,
      })
      const db = pgliteDatabase(pg)
      await seedDatabase(db, { customers })
      const original = await tableChecksums(db)
      await db.close()

      const file = join(dir, 'pglite.tar.gz')
      await backupDatabase({ dataDir: source }, file)
      await restoreDatabase({ dataDir: restored }, file)
      const back = pgliteDatabase(await PGlite.create({ dataDir: restored, extensions: pgliteExtensions }))
      try {
        expectSameData(await tableChecksums(back), original)
      } finally {
        await back.close()
      }
    },
  )

  it.skipIf(testServerUrl())(
    'should not restore over a PGlite data folder unless told to, and then keep the old one',
    async () => {
      const target = join(dir, 'occupied')
      const { mkdir } = await import('node:fs/promises')
      await mkdir(target, { recursive: true })
      await writeFile(join(target, 'PG_VERSION'), '18')
      const file = join(dir, 'pglite.tar.gz')
      await expect(restoreDatabase({ dataDir: target }, file)).rejects.toThrow(/not empty/)
      await restoreDatabase({ dataDir: target }, file, { replace: true })
      const kept = (await readdir(dir)).filter((name) => name.startsWith('occupied.before-restore-'))
      expect(kept).toHaveLength(1)
    },
  )

  it.skipIf(!testServerUrl())(
    'should round-trip a seeded database through pg_dump and pg_restore: same rows, same checksums (server run)',
    async () => {
      const t = await createTestDatabase()
      const url = t.url as string
      const copyName = `${new URL(url).pathname.slice(1)}_restored`
      const admin = createPostgresDatabase(testServerUrl() as string, { max: 1 })
      let copy: Database | undefined
      try {
        await seedDatabase(t.db, { customers })
        const original = await tableChecksums(t.db)
        const file = join(dir, 'server.dump')
        await backupDatabase({ databaseUrl: url }, file)
        // An empty database, as after losing the old one; its name starts with the run's, so the run sweeps it.
        await admin.query(`create database ${copyName} template template0`)
        const copyUrl = databaseUrlFor(testServerUrl() as string, copyName)
        await restoreDatabase({ databaseUrl: copyUrl }, file)
        copy = createPostgresDatabase(copyUrl, { max: 1 })
        expectSameData(await tableChecksums(copy), original)
      } finally {
        await copy?.close()
        await admin.query(`drop database if exists ${copyName} with (force)`)
        await admin.close()
        await t.close()
      }
    },
  )
})

function expectSameData(restored: TableChecksum[], original: TableChecksum[]) {
  // Not vacuous: the seed filled the tables that matter.
  const rows = Object.fromEntries(original.map((s) => [s.table, s.rows]))
  for (const table of ['public.customers', 'public.contacts', 'public.timeline_events', 'auth.users'])
    expect(rows[table], table).toBeGreaterThan(0)
  expect(restored).toEqual(original)
}
