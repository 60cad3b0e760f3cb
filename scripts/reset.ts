// npm run db:reset — drop everything ours, then migrate and seed again.
// On PGlite the data folder is removed; on a server our schemas are dropped
// (roles and the platform shim stay: they are shared by the whole server).
import { rm } from 'node:fs/promises'
import { lockDataDir } from '../functions/db/data-dir-lock.ts'
import { openScriptDatabase, pgliteDataDir, readScriptEnv } from './db/env.ts'
import { runMain } from './db/run-main.ts'

await runMain(async () => {
  const env = readScriptEnv()
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
