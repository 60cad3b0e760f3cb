// npm run db:backup -- [file]   pg_dump (DATABASE_URL) or PGlite's data folder, to a file
//   default file: backups/<server or pglite>-<time>.(dump|tar.gz)
import { mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { parseArgs } from 'node:util'
import { backupDatabase } from './backup/index.ts'
import { pgliteDataDir, readScriptEnv, redactUrl } from './env.ts'
import { runMain } from './run-main.ts'

await runMain(async () => {
  const { positionals } = parseArgs({ allowPositionals: true, strict: true })
  const env = readScriptEnv()
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  const file =
    positionals[0] ?? (env.DATABASE_URL ? `backups/server-${stamp}.dump` : `backups/pglite-${stamp}.tar.gz`)
  await mkdir(dirname(file), { recursive: true })
  const target = env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir: pgliteDataDir(env) }
  console.log(`Backing up ${env.DATABASE_URL ? redactUrl(env.DATABASE_URL) : pgliteDataDir(env)} to ${file}`)
  await backupDatabase(target, file)
  console.log('Done.')
})
