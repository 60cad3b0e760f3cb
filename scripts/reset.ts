// npm run db:reset — drop everything ours, then migrate and seed again.
// On PGlite the data folder is removed; on a server our schemas are dropped
// (roles and the platform shim stay: they are shared by the whole server).
import { rm } from 'node:fs/promises'
import { createInterface } from 'node:readline/promises'
import { parseArgs } from 'node:util'
import { lockDataDir } from '../functions/db/data-dir-lock.ts'
import { openScriptDatabase, pgliteDataDir, readScriptEnv } from './db/env.ts'
import { runMain } from './db/run-main.ts'

const usage = `Usage: npm run db:reset [-- --yes]

Deletes everything in the database (every organization, customer, document
record and account), then migrates and seeds the demo data again. On the
embedded database the data folder (DATA_DIR) is removed; with DATABASE_URL
the project's schemas are dropped.

  --yes, -y   do not ask (scripts and CI); without it, a terminal is asked
              and anything else is refused
  --help, -h  this text`

/** Whether the person at the terminal typed yes; no terminal means no. */
async function confirmed(where: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false
  const prompt = createInterface({ input: process.stdin, output: process.stdout })
  try {
    const answer = await prompt.question(`This deletes everything in ${where}. Type "yes" to go on: `)
    return answer.trim().toLowerCase() === 'yes'
  } finally {
    prompt.close()
  }
}

await runMain(async () => {
  let values: { yes?: boolean; help?: boolean }
  try {
    ;({ values } = parseArgs({
      options: { yes: { type: 'boolean', short: 'y' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }))
  } catch (error) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`)
  }
  if (values.help) {
    console.log(usage)
    return
  }
  const env = readScriptEnv()
  const where = env.DATABASE_URL ? 'the database at DATABASE_URL' : `the data folder ${pgliteDataDir(env)}`
  if (!values.yes && !(await confirmed(where)))
    throw new Error(`Nothing was deleted. To reset ${where}, run: npm run db:reset -- --yes`)
  if (env.DATABASE_URL) {
    const { db, where } = await openScriptDatabase(env)
    try {
      console.log(`Resetting ${where}`)
      await db.execScript(`
        drop schema if exists public cascade;
        drop schema if exists private cascade;
        drop schema if exists supabase_migrations cascade;
        create schema public;
        grant usage on schema public to public;
        grant create on schema public to current_user;
        do $$ begin
          if to_regclass('auth.users') is not null then
            execute 'truncate auth.users cascade';
          end if;
        end $$;
      `)
    } finally {
      await db.close()
    }
  } else {
    const dir = pgliteDataDir(env)
    lockDataDir(dir).release() // refuses while another process has it open
    await rm(dir, { recursive: true, force: true })
    console.log(`Removed ${dir}`)
  }
  const run = (script: string) =>
    new Promise<void>((resolve, reject) => {
      import('node:child_process').then(({ spawn }) => {
        const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: 'inherit' })
        child.on('exit', (code) =>
          code === 0 ? resolve() : reject(new Error(`${script} exited with ${code}`)),
        )
      })
    })
  await run('scripts/migrate.ts')
  await run('scripts/seed.ts')
})
