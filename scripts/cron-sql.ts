// npx tsx scripts/cron-sql.ts — writes supabase/cron/schedules.sql from the
// declared schedules (functions/schedules/schedules.ts). Run it after changing
// a schedule; functions/schedules/pg-cron.test.ts fails until you do.
import { writeFile } from 'node:fs/promises'
import { pgCronSql } from '../functions/schedules/pg-cron.ts'
import { schedules } from '../functions/schedules/schedules.ts'
import { runMain } from './db/run-main.ts'

export const cronSqlPath = new URL('../supabase/cron/schedules.sql', import.meta.url)

await runMain(async () => {
  await writeFile(cronSqlPath, pgCronSql(schedules))
  console.log(`Wrote ${cronSqlPath.pathname} (${schedules.map((s) => `${s.name} "${s.cron}"`).join(', ')})`)
})
