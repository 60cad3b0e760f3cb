import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../../tests/support/test-database.ts'
import { isNewer, versionOf } from './version.ts'

/** The browser's version of a timestamp must be the API's ETag exactly, or live updates would be misordered. */
describe('versionOf', () => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await createTestDatabase()
  })
  afterAll(() => t.close())

  it('should equal the version Postgres computes, for the JSON Postgres sends, in any session time zone', async () => {
    for (const zone of ['UTC', 'Europe/Berlin', 'America/St_Johns', 'Asia/Kathmandu']) {
      const rows = await t.db.transaction(async (tx) => {
        await tx.query(`select set_config('TimeZone', $1, true)`, [zone])
        return tx.query<{ json: string; version: string }>(
          `select to_jsonb(ts) #>> '{}' as json, (extract(epoch from ts) * 1000000)::bigint::text as version
           from unnest(array[
             '2026-11-25 18:40:11.625+00', '2026-01-01 00:00:00+00', '2026-06-30 23:59:59.999999+00',
             '1999-12-31 23:59:59.000001+00', clock_timestamp()
           ]::timestamptz[]) as ts`,
        )
      })
      for (const row of rows) expect(versionOf(row.json), `${zone} ${row.json}`).toBe(row.version)
    }
  })

  it('should refuse what is not a timestamp and compare versions as integers', () => {
    expect(() => versionOf('yesterday')).toThrow()
    expect(isNewer('1000000000000000', '999999999999999')).toBe(true)
    expect(isNewer('5', '5')).toBe(false)
  })
})
