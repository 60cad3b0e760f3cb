import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { openPGlite, pgliteDatabase } from '../../functions/db/pglite.ts'
import { createPostgresDatabase } from '../../functions/db/postgres.ts'
import { migrate } from '../../scripts/db/migrations.ts'
import { hasChromium, noChromiumReason } from '../browser/support/chromium.ts'
import { LARGE_SEED_CUSTOMERS, preparedStackData } from '../browser/support/prepared-stack.ts'
import { databaseUrlFor, testServerUrl } from './server-url.ts'

/**
 * Migrates one template per run, so each test file starts from a copy instead
 * of paying for initdb and the migrations again:
 * - PGlite: a migrated instance dumped to a tarball that each file loads;
 * - a server (DATABASE_URL): a fresh template database that each file copies
 *   with `create database … template …`, dropped at the end of the run.
 * The browser suite's `npm start` data is prepared once per run the same way
 * (tests/browser/support/prepared-stack.ts).
 */
export default async function setup(project: TestProject) {
  if (!hasChromium) {
    // CI installs Chromium: there, a missing browser is a broken run, not a skip.
    if (process.env.CI === 'true')
      throw new Error(`CI runs the browser suite, but there is ${noChromiumReason}.`)
    console.log(`Browser suite skipped: ${noChromiumReason}.`)
  }
  const serverUrl = testServerUrl()
  const runId = `sales_test_${process.pid}_${Date.now().toString(36)}`
  // The browser suite's prepared `npm start` data folders and their copies
  // (tests/browser/support/prepared-stack.ts); on a server their databases are named after runId.
  const stacksDir = await mkdtemp(join(tmpdir(), 'sales-stacks-'))
  const stacks = { runDir: stacksDir, runId }
  project.provide('preparedStacks', stacks)
  let preparing: Promise<unknown> | undefined
  const startPreparing = () => {
    // When the run has browser files, their default seed is prepared while the
    // first files run (a browser file that gets there first just waits for it).
    // A failure is theirs to report (failed.json): here it is only awaited.
    const files = project.vitest.state.getPaths()
    if (hasChromium && files.some((file) => file.includes('/tests/browser/')))
      preparing = preparedStackData(stacks)
        .then(() => preparedStackData(stacks, LARGE_SEED_CUSTOMERS))
        .catch(() => {})
  }
  if (serverUrl) {
    const template = `${runId}_template`
    const admin = createPostgresDatabase(serverUrl, { max: 1 })
    await admin.query(`create database ${template}`)
    const db = createPostgresDatabase(databaseUrlFor(serverUrl, template), { max: 1 })
    await migrate(db)
    await db.close()
    project.provide('testDatabase', { kind: 'postgres', serverUrl, template, runId })
    startPreparing()
    return async () => {
      await preparing
      // Files drop their own copies; sweep any left by a crashed file, then the template.
      const leftovers = await admin.query<{ datname: string }>(
        `select datname from pg_database where datname like $1`,
        [`${runId}%`],
      )
      for (const { datname } of leftovers)
        await admin.query(`drop database if exists ${datname} with (force)`)
      await admin.close()
      await rm(stacksDir, { recursive: true, force: true })
    }
  }

  const dir = await mkdtemp(join(tmpdir(), 'sales-test-'))
  const pg = await openPGlite()
  const db = pgliteDatabase(pg)
  await migrate(db)
  const dumpPath = join(dir, 'template.tar')
  // A checkpointed folder opens faster: each file's load replays no WAL (about 0.1 s here).
  await db.query('checkpoint')
  await writeFile(dumpPath, Buffer.from(await (await pg.dumpDataDir('none')).arrayBuffer()))
  await db.close()
  project.provide('testDatabase', { kind: 'pglite', dumpPath })
  startPreparing()
  return async () => {
    await preparing
    await rm(dir, { recursive: true, force: true })
    await rm(stacksDir, { recursive: true, force: true })
  }
}

export type TestDatabaseTemplate =
  | { kind: 'pglite'; dumpPath: string }
  | { kind: 'postgres'; serverUrl: string; template: string; runId: string }

declare module 'vitest' {
  export interface ProvidedContext {
    testDatabase: TestDatabaseTemplate
    /** Where the browser suite prepares `npm start`'s data once per run; runId names its server databases. */
    preparedStacks: { runDir: string; runId: string }
  }
}
