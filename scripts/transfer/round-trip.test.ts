// Issue #12: the seed's data goes out and back in through the real commands, as
// a developer would run them from a clean clone: migrate, seed, export Acme,
// import both files into a fresh organization with the same people, compare.

import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest'
import type { Database } from '../../functions/db/database.ts'
import { openDatabase } from '../../functions/db/open.ts'
import { createPostgresDatabase } from '../../functions/db/postgres.ts'
import { csvField, parseCsv } from '../../functions/transfer/csv.ts'
import { databaseUrlFor, testServerUrl } from '../../tests/support/server-url.ts'
import { organizationId } from '../seed/generate-accounts.ts'

const repoRoot = fileURLToPath(new URL('../..', import.meta.url))
const acme = organizationId('acme')

/** Where the commands run: the environment they get, and a connection of the test's own. */
interface Target {
  env: Record<string, string>
  /** PGlite is one process at a time (its data folder is locked), so the test opens it only between commands. */
  withDb<T>(fn: (db: Database) => Promise<T>): Promise<T>
}

/** Runs `scripts/<script>.ts` as `npm run` would, in a process of its own; its stdout, or an error with everything it printed. */
function runScript(target: Target, script: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...target.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => {
      stdout += chunk
    })
    child.stderr.on('data', (chunk) => {
      stderr += chunk
    })
    child.once('error', reject)
    child.once('close', (code, signal) => {
      if (code === 0) resolve(stdout)
      else
        reject(new Error(`${script} ${args.join(' ')} ended with ${code ?? signal}:\n${stdout}\n${stderr}`))
    })
  })
}

interface ImportLine {
  rows: number
  created: number
  updated: number
  unchanged: number
  rejected: number
}

/** The per-file lines scripts/import.ts prints (`printReport`), by kind. */
function parseImportReport(stdout: string): Record<'customers' | 'contacts', ImportLine> {
  const pattern =
    /^.+ \((customers|contacts)\): (\d+) rows in [\d.]+ s — (\d+) created, (\d+) updated, (\d+) unchanged, (\d+) in rejected chunks$/gm
  const lines: Partial<Record<'customers' | 'contacts', ImportLine>> = {}
  for (const m of stdout.matchAll(pattern)) {
    const [rows, created, updated, unchanged, rejected] = m.slice(2).map(Number) as number[]
    lines[m[1] as 'customers' | 'contacts'] = {
      rows: rows as number,
      created: created as number,
      updated: updated as number,
      unchanged: unchanged as number,
      rejected: rejected as number,
    }
  }
  expect(stdout, 'a rejected chunk lists its rows').not.toMatch(/not imported:/)
  if (!lines.customers || !lines.contacts) throw new Error(`No report for both files in:\n${stdout}`)
  return lines as Record<'customers' | 'contacts', ImportLine>
}

/** The record counts scripts/export.ts prints, by file name. */
function parseExportCounts(stdout: string): Record<string, number> {
  return Object.fromEntries(
    [...stdout.matchAll(/([^/\s]+\.csv): (\d+) records in/g)].map((m) => [m[1], Number(m[2])]),
  )
}

/** What the round trip carries, as SQL reads it: no ids (but the owner's, the same user), no timestamps. */
async function organizationData(db: Database, orgId: string) {
  const customers = await db.query<Record<string, string | null>>(
    `select c.name, c.phase::text as phase, c.owner_id::text as owner_id, u.email as owner_email,
       coalesce((select string_agg(e.provider || ':' || e.external_id, ' ' order by e.provider)
                 from public.customer_external_ids e where e.customer_id = c.id), '') as external_ids
     from public.customers c left join public.users u on u.id = c.owner_id
     where c.org_id = $1`,
    [orgId],
  )
  const contacts = await db.query<Record<string, string | null>>(
    `select c.name as customer_name, k.name, k.email, k.phone, k.role
     from public.contacts k join public.customers c on c.id = k.customer_id
     where k.org_id = $1`,
    [orgId],
  )
  const sorted = (rows: Record<string, string | null>[]) => rows.map((r) => JSON.stringify(r)).sort()
  return { customers: sorted(customers), contacts: sorted(contacts) }
}

/** Every row of the organization as stored, ids and timestamps included: what "nothing changed" means. */
async function storedRows(db: Database, orgId: string) {
  return db.query(
    `select 'customer' as kind, to_jsonb(c) as row from public.customers c where c.org_id = $1
     union all select 'contact', to_jsonb(k) from public.contacts k where k.org_id = $1
     union all select 'external_id', to_jsonb(e) from public.customer_external_ids e where e.org_id = $1
     union all select 'timeline', jsonb_build_object('events', count(*)) from public.timeline_events t where t.org_id = $1
     order by 1, 2`,
    [orgId],
  )
}

/**
 * A CSV file without the columns that differ by nature, as its header line and
 * its records sorted. Sorted: the export orders customers by (created_at, id)
 * and contacts by id, and the imported rows have fresh random ids (and one
 * created_at per chunk's transaction), so the order of the lines differs. The
 * cells are written back as the file held them (csvField, no formula escape:
 * they were escaped already), so equal output means byte-identical records.
 */
function comparableCsv(text: string, dropped: readonly string[]) {
  const [header, ...records] = parseCsv(text)
  if (!header) throw new Error('An export without a header')
  const kept = header.cells.flatMap((name, i) => (dropped.includes(name) ? [] : [i]))
  const line = (cells: string[]) => kept.map((i) => csvField(cells[i] ?? '')).join(',')
  return { header: line(header.cells), records: records.map((r) => line(r.cells)).sort() }
}

const ids = ['id', 'customer_id', 'created_at', 'updated_at']

async function roundTrip(target: Target, dir: string) {
  const first = join(dir, 'acme')
  const second = join(dir, 'fresh')

  await runScript(target, 'migrate', [])
  await runScript(target, 'seed', [])
  const exported = parseExportCounts(await runScript(target, 'export', ['--org', acme, '--out', first]))

  // A fresh organization with Acme's people in Acme's roles. No creator, so the
  // trigger adds no owner of its own: the memberships are copied as they are.
  const fresh = await target.withDb(async (db) => {
    const [org] = await db.query<{ id: string }>(
      `insert into public.organizations (name, created_by) values ('Acme round trip', null) returning id`,
    )
    const id = (org as { id: string }).id
    await db.query(
      `insert into public.memberships (org_id, user_id, role)
       select $1, user_id, role from public.memberships where org_id = $2`,
      [id, acme],
    )
    return id
  })

  const files = [join(first, 'customers.csv'), join(first, 'contacts.csv')]
  const report = parseImportReport(await runScript(target, 'import', ['--org', fresh, ...files]))
  const { acmeData, freshData, before } = await target.withDb(async (db) => ({
    acmeData: await organizationData(db, acme),
    freshData: await organizationData(db, fresh),
    before: await storedRows(db, fresh),
  }))

  // Not vacuous: the seed gave Acme customers, contacts and external ids (40 customers at the default scale).
  expect(acmeData.customers).toHaveLength(40)
  expect(acmeData.contacts.length).toBeGreaterThan(40)
  expect(acmeData.customers.some((row) => row.includes('hubspot:'))).toBe(true)
  expect(exported).toEqual({ 'customers.csv': 40, 'contacts.csv': acmeData.contacts.length })
  for (const [kind, rows] of [
    ['customers', acmeData.customers.length],
    ['contacts', acmeData.contacts.length],
  ] as const)
    expect(report[kind], kind).toEqual({ rows, created: rows, updated: 0, unchanged: 0, rejected: 0 })
  expect(freshData).toEqual(acmeData)

  // The same files again: every row finds its record, and nothing is written.
  const again = parseImportReport(await runScript(target, 'import', ['--org', fresh, ...files]))
  for (const [kind, rows] of [
    ['customers', acmeData.customers.length],
    ['contacts', acmeData.contacts.length],
  ] as const)
    expect(again[kind], kind).toEqual({ rows, created: 0, updated: 0, unchanged: rows, rejected: 0 })
  expect(await target.withDb((db) => storedRows(db, fresh))).toEqual(before)

  // The fresh organization exports what Acme exported. monthly_hours,
  // monthly_recurring_value and value are left out too: they come from the
  // customer's services, which an import does not carry (docs/import-export.md,
  // "Round trip"), so the copy's hours are all 0 and its value is its deal value.
  await runScript(target, 'export', ['--org', fresh, '--out', second])
  for (const [name, dropped] of [
    ['customers.csv', [...ids, 'monthly_hours', 'monthly_recurring_value', 'value']],
    ['contacts.csv', ids],
  ] as const) {
    const original = await readFile(join(first, name), 'utf8')
    const copy = await readFile(join(second, name), 'utf8')
    expect(comparableCsv(copy, dropped), name).toEqual(comparableCsv(original, dropped))
  }
  const [header, ...copied] = parseCsv(await readFile(join(second, 'customers.csv'), 'utf8'))
  const hours = header?.cells.indexOf('monthly_hours') ?? -1
  expect(new Set(copied.map((r) => r.cells[hours]))).toEqual(new Set(['0']))
}

describe('export, then import into a fresh organization, with the real commands', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sales-round-trip-'))
  })
  afterEach(() => rm(dir, { recursive: true, force: true }))

  it.skipIf(testServerUrl())(
    'should carry the seed’s Acme into a fresh organization and back out unchanged, on PGlite in a temporary DATA_DIR (PGlite run; the server run covers a server)',
    { timeout: 240_000 },
    async () => {
      const dataDir = join(dir, 'data')
      const target: Target = {
        env: { DATA_DIR: dataDir, DATABASE_URL: '' },
        async withDb(fn) {
          const db = await openDatabase({ dataDir: join(dataDir, 'pglite') })
          try {
            return await fn(db)
          } finally {
            await db.close()
          }
        },
      }
      await roundTrip(target, dir)
    },
  )

  it.skipIf(!testServerUrl())(
    'should carry the seed’s Acme into a fresh organization and back out unchanged, on a fresh database of the server (server run: needs DATABASE_URL)',
    { timeout: 240_000 },
    async () => {
      const template = inject('testDatabase')
      if (template.kind !== 'postgres') throw new Error('expected the server run')
      // Named after the run, so its sweep drops it should this test crash; empty, so migrate does all the work.
      const name = `${template.runId}_round_trip_${process.pid}`
      const admin = createPostgresDatabase(template.serverUrl, { max: 1 })
      const url = databaseUrlFor(template.serverUrl, name)
      const db = createPostgresDatabase(url, { max: 1 })
      try {
        await admin.query(`create database ${name}`)
        await roundTrip(
          { env: { DATABASE_URL: url, DATA_DIR: join(dir, 'data') }, withDb: (fn) => fn(db) },
          dir,
        )
      } finally {
        await db.close()
        await admin.query(`drop database if exists ${name} with (force)`)
        await admin.close()
      }
    },
  )
})
