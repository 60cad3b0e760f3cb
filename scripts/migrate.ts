// npm run db:migrate — apply the platform shim (off Supabase) and pending migrations.

import { openScriptDatabase } from './db/env.ts'
import { migrate } from './db/migrations.ts'
import { runMain } from './db/run-main.ts'

await runMain(async () => {
  const { db, where } = await openScriptDatabase()
  try {
    console.log(`Migrating ${where}`)
    const result = await migrate(db, { log: (line) => console.log(`  ${line}`) })
    console.log(`Done: ${result.applied.length} applied, ${result.skipped} already applied.`)
  } finally {
    await db.close()
  }
})
