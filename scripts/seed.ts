// npm run db:seed — load deterministic demo data (see docs/seed.md).
//   npm run db:seed                                    default scale, once (a second run changes nothing)
//   npm run db:seed -- --scale 100000                  N customers in total, for benchmarks
//   npm run db:seed -- --scale 100000 --organizations 10
//                                                      the same over 10 organizations (default 3)
//   npm run db:seed -- --write-sql supabase/seed.sql   write the default scale as plain SQL instead

import { writeFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { openScriptDatabase } from './db/env.ts'
import { runMain } from './db/run-main.ts'
import { formatDemoAccounts } from './seed/demo-accounts.ts'
import { DEFAULT_CUSTOMERS } from './seed/generate.ts'
import { DEMO_ORGANIZATION_COUNT } from './seed/generated-organizations.ts'
import { seedDatabase } from './seed/load.ts'
import { parseOrganizations, parseScale } from './seed/options.ts'
import { renderSeedSql } from './seed/sql-file.ts'

await runMain(async () => {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string' },
      organizations: { type: 'string' },
      'write-sql': { type: 'string' },
    },
    strict: true,
  })
  const customers = values.scale === undefined ? DEFAULT_CUSTOMERS : parseScale(values.scale)
  const organizations =
    values.organizations === undefined ? DEMO_ORGANIZATION_COUNT : parseOrganizations(values.organizations)
  const plan = { customers, organizations }
  const what = `${customers.toLocaleString('en')} customers in ${organizations} organizations`

  if (values['write-sql']) {
    await writeFile(values['write-sql'], renderSeedSql(plan))
    console.log(`Wrote ${values['write-sql']} (${what})`)
    return
  }

  const { db, where } = await openScriptDatabase()
  try {
    console.log(`Seeding ${where} with ${what}`)
    await requireMigrated(db)
    const result = await seedDatabase(db, plan, (line) => console.log(line))
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
    if (organizations > DEMO_ORGANIZATION_COUNT) {
      console.log(
        `  and ${organizations - DEMO_ORGANIZATION_COUNT} generated organizations org-4 … org-${organizations}, ` +
          'members member-<n>-{owner,admin,manager,rep-1,rep-2[,rep-3],viewer}@org-<n>.example (same password)',
      )
    }
  } finally {
    await db.close()
  }
})

async function requireMigrated(db: Awaited<ReturnType<typeof openScriptDatabase>>['db']): Promise<void> {
  const [row] = await db.query<{ ready: boolean }>(
    `select to_regclass('public.timeline_events') is not null and to_regclass('public.chat_messages') is not null as ready`,
  )
  if (!row?.ready) throw new Error('The database is not migrated yet: run npm run db:migrate first.')
}
