import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readdir, readFile, rename, writeFile } from 'node:fs/promises'
import { PGlite } from '@electric-sql/pglite'
import { lockDataDir } from '../../../functions/db/data-dir-lock.ts'
import { pgliteExtensions } from '../../../functions/db/pglite.ts'

/**
 * Backups of the database the developer commands use (scripts/db/env.ts):
 * - a Postgres server (DATABASE_URL): pg_dump's custom format (`-Fc`), every
 *   schema with its grants, policies and owners, restored with pg_restore in
 *   one transaction;
 * - PGlite: its data folder as a gzipped tarball (PGlite's own dumpDataDir),
 *   restored into an empty folder with loadDataDir.
 * Role settings are the server's, not the database's, and are not in either.
 */

export type BackupTarget = { databaseUrl: string } | { dataDir: string }

/**
 * A database URL without its password, and the password apart: passed to
 * pg_dump/pg_restore through PGPASSWORD, so it is not in their command line
 * for anyone on the machine to read in `ps`.
 */
function withoutPassword(databaseUrl: string): { url: string; env: NodeJS.ProcessEnv } {
  const url = new URL(databaseUrl)
  const password = decodeURIComponent(url.password)
  url.password = ''
  return { url: url.toString(), env: password ? { ...process.env, PGPASSWORD: password } : process.env }
}

/** Runs pg_dump or pg_restore; its stderr becomes the error message when it fails. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], env })
    let stderr = ''
    child.stderr.on('data', (chunk) => {
      stderr += chunk
    })
    child.once('error', (error) =>
      reject(
        (error as NodeJS.ErrnoException).code === 'ENOENT'
          ? new Error(
              `${command} is not installed (PostgreSQL client tools, e.g. apt-get install postgresql-client)`,
            )
          : error,
      ),
    )
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}:\n${stderr.trim()}`)),
    )
  })
}

export async function backupDatabase(target: BackupTarget, file: string): Promise<void> {
  if ('databaseUrl' in target) {
    const { url, env } = withoutPassword(target.databaseUrl)
    await run('pg_dump', ['--format=custom', '--file', file, '--dbname', url], env)
    return
  }
  if (!existsSync(target.dataDir)) throw new Error(`No PGlite data folder at ${target.dataDir}`)
  // Refuses while a server (npm start) has the folder open: a copy taken under it could be torn.
  const lock = lockDataDir(target.dataDir)
  try {
    const pg = await PGlite.create({ dataDir: target.dataDir, extensions: pgliteExtensions })
    try {
      const dump = await pg.dumpDataDir('gzip')
      await writeFile(file, Buffer.from(await dump.arrayBuffer()))
    } finally {
      await pg.close()
    }
  } finally {
    lock.release()
  }
}

export interface RestoreOptions {
  /**
   * Server: drop the objects the backup holds before creating them again.
   * PGlite: move a non-empty data folder aside (`<dir>.before-restore-<time>`), never delete it.
   */
  replace?: boolean
}

export async function restoreDatabase(target: BackupTarget, file: string, options: RestoreOptions = {}) {
  if (!existsSync(file)) throw new Error(`No backup at ${file}`)
  if ('databaseUrl' in target) {
    const { url, env } = withoutPassword(target.databaseUrl)
    await run(
      'pg_restore',
      [
        '--single-transaction',
        '--exit-on-error',
        ...(options.replace ? ['--clean', '--if-exists'] : []),
        '--dbname',
        url,
        file,
      ],
      env,
    )
    return
  }
  const { dataDir } = target
  // Held throughout: refuses while a server (npm start) has the folder open, and keeps one out meanwhile.
  const lock = lockDataDir(dataDir)
  try {
    if (existsSync(dataDir) && (await readdir(dataDir)).length > 0) {
      if (!options.replace)
        throw new Error(`${dataDir} is not empty: pass --replace to move it aside and restore`)
      await rename(dataDir, `${dataDir}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`)
    }
    const pg = await PGlite.create({
      dataDir,
      loadDataDir: new Blob([await readFile(file)]),
      extensions: pgliteExtensions,
    })
    await pg.close()
  } finally {
    lock.release()
  }
}
