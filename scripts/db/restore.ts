// npm run db:restore -- <file> [--replace]
//   server (DATABASE_URL): pg_restore in one transaction; --replace drops what the backup holds first
//   PGlite: into an empty data folder; --replace moves the current one aside (never deletes it)
import { parseArgs } from 'node:util'
import { restoreDatabase } from './backup/index.ts'
import { pgliteDataDir, readScriptEnv, redactUrl } from './env.ts'
import { runMain } from './run-main.ts'

await runMain(async () => {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    strict: true,
    options: { replace: { type: 'boolean', default: false } },
  })
  const file = positionals[0]
  if (!file) throw new Error('Usage: npm run db:restore -- <backup file> [--replace]')
  const env = readScriptEnv()
  const target = env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir: pgliteDataDir(env) }
  console.log(`Restoring ${file} into ${env.DATABASE_URL ? redactUrl(env.DATABASE_URL) : pgliteDataDir(env)}`)
  await restoreDatabase(target, file, { replace: values.replace })
  console.log('Done.')
})
