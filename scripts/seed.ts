// npm run db:seed — load deterministic demo data (see docs/seed.md).
//   npm run db:seed                                    default scale, once (a second run changes nothing)
//   npm run db:seed -- --scale 100000                  N customers in total, for benchmarks
//   npm run db:seed -- --write-sql supabase/seed.sql   write the default scale as plain SQL instead

import { writeFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { openScriptDatabase } from './db/env.ts'
import { runMain } from './db/run-main.ts'
import { formatDemoAccounts } from './seed/demo-accounts.ts'
import { DEFAULT_CUSTOMERS } from './seed/generate.ts'
import { seedDatabase } from './seed/load.ts'
import { renderSeedSql } from './seed/sql-file.ts'

await runMain(async () => {
  const { values } = parseArgs({
    options: { scale: { type: 'string' }, 'write-sql': { type: 'string' } },
    strict: true,
  })
  const customers = values.scale === undefined ? DEFAULT_CUSTOMERS : parseScale(values.scale)

  if (values['write-sql']) {
    await writeFile(values['write-sql'], renderSeedSql({ customers }))
    console.log(`Wrote ${values['write-sql']} (${customers.toLocaleString('en')} customers)`)
    return
  }

  const { db, where } = await openScriptDatabase()
  try {
    console.log(`Seeding ${where} with ${customers.toLocaleString('en')} customers`)
    await requireMigrated(db)
    const result = await seedDatabase(db, { customers }, (line) => console.log(line))
    if (result.status === 'already-seeded') {
      console.log(
        'Already seeded: the demo organizations exist, nothing changed. (npm run db:reset starts over.)',
      )
    } else {
      const counts = Object.entries(result.rows)
        .map(([table, n]) => `  ${table.padEnd(30)} ${n.toLocaleString('en').padStart(10)}`)
        .join('\n')
      console.log(`Done in ${(result.milliseconds / 1000).toFixed(1)} s:\n${counts}`)
    }
    console.log(`\n${formatDemoAccounts()}`)
  } finally {
    await db.close()
  }
})

function parseScale(text: string): number {
  const n = Number(text)
  if (!Number.isInteger(n) || n < 1 || n > 10_000_000) {
    throw new Error(`--scale must be a whole number of customers between 1 and 10,000,000, not "${text}"`)
  }
  return n
}

async function requireMigrated(db: Awaited<ReturnType<typeof openScriptDatabase>>['db']): Promise<void> {
  const [row] = await db.query<{ ready: boolean }>(
    `select to_regclass('public.timeline_events') is not null and to_regclass('public.chat_messages') is not null as ready`,
  )
  if (!row?.ready) throw new Error('The database is not migrated yet: run npm run db:migrate first.')
}
