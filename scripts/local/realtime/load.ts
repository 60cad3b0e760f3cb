// Measures the local realtime server: N sockets joined to one organization's
// private topic, then database changes fanned out to all of them (docs/realtime.md).
//   npx tsx scripts/local/realtime/load.ts                      1,000 sockets, 10 changes, PGlite in memory
//   npx tsx scripts/local/realtime/load.ts --sockets 500 --rounds 20
//   DATABASE_URL=postgres://… npx tsx scripts/local/realtime/load.ts   a throw-away database on that server

import { parseArgs } from 'node:util'
import type { Database } from '../../../functions/db/database.ts'
import { openPGlite, pgliteDatabase } from '../../../functions/db/pglite.ts'
import { createPostgresDatabase } from '../../../functions/db/postgres.ts'
import { migrate } from '../../db/migrations.ts'
import { runMain } from '../../db/run-main.ts'
import { measureFanOut } from './fan-out-measure.ts'

await runMain(async () => {
  const { values } = parseArgs({
    options: { sockets: { type: 'string', default: '1000' }, rounds: { type: 'string', default: '10' } },
    strict: true,
  })
  const sockets = Number(values.sockets)
  const rounds = Number(values.rounds)
  if (!Number.isInteger(sockets) || sockets < 1) throw new Error('--sockets must be a positive integer')
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds must be a positive integer')

  const { db, where, drop } = await throwAwayDatabase(process.env.DATABASE_URL)
  try {
    await migrate(db)
    for (const n of [1, sockets]) {
      const figures = await measureFanOut(db, { sockets: n, rounds })
      const { median, p99, max } = figures.latencyMs
      console.log(
        `${where}: ${n} socket(s) joined in ${figures.connectAndJoinMs.toFixed(0)} ms; ` +
          `${figures.delivered}/${figures.expected} deliveries over ${rounds} change(s); ` +
          `UPDATE-to-socket latency median ${median.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms`,
      )
      if (figures.delivered !== figures.expected) process.exitCode = 1
    }
  } finally {
    await db.close()
    await drop()
  }
})

async function throwAwayDatabase(
  url: string | undefined,
): Promise<{ db: Database; where: string; drop: () => Promise<void> }> {
  if (!url) return { db: pgliteDatabase(await openPGlite()), where: 'PGlite', drop: async () => {} }
  const admin = createPostgresDatabase(url, { max: 1 })
  const name = `realtime_load_${process.pid}`
  await admin.query(`create database ${name}`)
  const target = new URL(url)
  target.pathname = `/${name}`
  return {
    db: createPostgresDatabase(target.toString(), { max: 4 }),
    where: 'Postgres',
    async drop() {
      await admin.query(`drop database if exists ${name} with (force)`)
      await admin.close()
    },
  }
}
