import { cp, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createPostgresDatabase } from '../../../functions/db/postgres.ts'
import { databaseUrlFor, testServerUrl } from '../../support/server-url.ts'
import { startStackProcess, stopStackProcess } from '../../support/start-process.ts'

/** What `npm start` needs to open one test file's own copy of the prepared data. */
export interface StackData {
  /** DATA_DIR and DATABASE_URL for `npm start`. */
  env: Record<string, string>
  /** Deletes the copy (the folder and, on a server, the database). */
  remove(): Promise<void>
}

/** Where this run prepares and copies (a folder the global setup made), and the run's id naming server databases. */
export interface StackRun {
  runDir: string
  runId: string
}

interface Prepared {
  /** The prepared DATA_DIR (PGlite's folder, and local storage on both runs). */
  dataDir: string
  /** On a server: the prepared database, the template of every copy. */
  database?: string
}

/**
 * The one larger seed the browser suite uses (the customers table pages
 * through all of a manager's customers: some 330 of them, seven pages of 50).
 * The global setup prepares it right after the default one.
 */
export const LARGE_SEED_CUSTOMERS = 1000

const pollMs = 250
const prepareTimeoutMs = 240_000
let counter = 0

/**
 * A data folder (and, on a server, a database) of this file's own, copied from
 * one that `npm start` migrated, seeded and backfilled once in this run. The
 * first file to ask for a seed size prepares it; the others wait for it. So
 * every browser file starts from what `npm start` leaves after its first run,
 * whatever the migrations and the seed are today, without paying for them itself.
 */
export async function copyPreparedStackData(run: StackRun, seedCustomers?: number): Promise<StackData> {
  const prepared = await preparedStackData(run, seedCustomers)
  const { runDir, runId } = run
  const dataDir = await mkdtemp(join(runDir, 'copy-'))
  // A lock file is never copied: the preparing process stopped cleanly, and a
  // copied lock would name a process that does not hold this copy.
  await cp(prepared.dataDir, dataDir, { recursive: true, filter: (source) => !source.endsWith('.lock') })
  const env: Record<string, string> = { DATA_DIR: dataDir, DATABASE_URL: '' }
  const serverUrl = testServerUrl()
  let database: string | undefined
  if (serverUrl && prepared.database) {
    database = `${runId}_stack_${process.pid}_${++counter}`
    await withAdmin(serverUrl, (admin) =>
      admin.query(`create database ${database} template ${prepared.database}`),
    )
    env.DATABASE_URL = databaseUrlFor(serverUrl, database)
  }
  return {
    env,
    async remove() {
      await rm(dataDir, { recursive: true, force: true })
      if (serverUrl && database)
        await withAdmin(serverUrl, (admin) => admin.query(`drop database if exists ${database} with (force)`))
    },
  }
}

/**
 * Prepares the seed size once per run, across every worker process (and the
 * global setup, which starts on the default seed when the run has browser
 * files): the first caller creates its folder (mkdir is atomic) and starts and
 * stops `npm start` on it; the others poll for the `ready.json` it writes, or
 * the `failed.json`.
 */
export async function preparedStackData(
  { runDir, runId }: StackRun,
  seedCustomers?: number,
): Promise<Prepared> {
  const key = `seed-${seedCustomers ?? 'default'}`
  const dir = join(runDir, key)
  const ready = join(dir, 'ready.json')
  const failed = join(dir, 'failed.json')
  try {
    await mkdir(dir)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    return waitForPrepared(ready, failed)
  }
  try {
    const prepared = await prepare(
      join(dir, 'data'),
      `${runId}_stack_${key.replace(/-/g, '_')}`,
      seedCustomers,
    )
    // Written aside and renamed, so a waiting file never reads half of it.
    await writeFile(`${ready}.tmp`, JSON.stringify(prepared))
    await rename(`${ready}.tmp`, ready)
    return prepared
  } catch (error) {
    await writeFile(failed, JSON.stringify({ message: String(error) }))
    throw error
  }
}

/** `npm start` once on an empty folder (and database): migrate, seed, backfill; then Ctrl-C. */
async function prepare(dataDir: string, database: string, seedCustomers?: number): Promise<Prepared> {
  // On a server nothing may write to DATA_DIR (storage only does on an upload): it exists, to be copied.
  await mkdir(dataDir, { recursive: true })
  const env: Record<string, string> = { DATA_DIR: dataDir, DATABASE_URL: '' }
  if (seedCustomers) env.SEED_CUSTOMERS = String(seedCustomers)
  const serverUrl = testServerUrl()
  if (serverUrl) {
    await withAdmin(serverUrl, (admin) => admin.query(`create database ${database}`))
    env.DATABASE_URL = databaseUrlFor(serverUrl, database)
  }
  const stack = await startStackProcess(env, prepareTimeoutMs)
  if (!stack.output().includes('demo data loaded'))
    throw new Error(`npm start did not seed the prepared folder:\n${stack.output()}`)
  const code = await stopStackProcess(stack.child, 'SIGINT')
  if (code !== 0) throw new Error(`npm start exited with ${code} after preparing:\n${stack.output()}`)
  return serverUrl ? { dataDir, database } : { dataDir }
}

async function waitForPrepared(ready: string, failed: string): Promise<Prepared> {
  const deadline = Date.now() + prepareTimeoutMs
  while (Date.now() < deadline) {
    const done = await readFile(ready, 'utf8').catch(() => undefined)
    if (done) return JSON.parse(done) as Prepared
    const error = await readFile(failed, 'utf8').catch(() => undefined)
    if (error) throw new Error(`Another test file failed to prepare the stack's data: ${error}`)
    await new Promise((resolve) => setTimeout(resolve, pollMs))
  }
  throw new Error(`The stack's data was not prepared within ${prepareTimeoutMs} ms (${ready})`)
}

async function withAdmin<T>(
  serverUrl: string,
  fn: (admin: ReturnType<typeof createPostgresDatabase>) => Promise<T>,
): Promise<T> {
  const admin = createPostgresDatabase(serverUrl, { max: 1 })
  try {
    return await fn(admin)
  } finally {
    await admin.close()
  }
}
