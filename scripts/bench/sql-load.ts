// The baselines: the endpoint's statements sent by postgres.js straight to
// Postgres, no HTTP, from N concurrent loops over one pool, for a fixed time.
//   sql-superuser      the statements alone (autocommit), as the superuser,
//                      with the explicit WHERE that stands in for RLS
//   sql-superuser-tx   the same statements in the API's transaction shape
//                      (begin; set_config(claims); …; commit), still superuser
//   sql-authenticated  exactly what the API sends: withUser (role
//                      `authenticated`, the rep's claims), the API's own texts

import type { Database, Transaction } from '../../functions/db/database.ts'
import { type UserClaims, withUser } from '../../functions/db/with-user.ts'
import type { Endpoint, Fixture, Statement } from './scenarios.ts'
import { type RunResult, summarise } from './stats.ts'

export const sqlModes = ['sql-superuser', 'sql-superuser-tx', 'sql-authenticated'] as const
export type SqlMode = (typeof sqlModes)[number]

export interface SqlLoad {
  db: Database
  mode: SqlMode
  endpoint: Endpoint
  fixture: Fixture
  claims: UserClaims
  connections: number
  seconds: number
}

/**
 * The statements of one request, in the API's shape: a read's statements are
 * sent together without waiting (the API pipelines its visibility check with
 * the read, see readAfterCheck), a write's one after another.
 */
async function runAll(tx: Pick<Transaction, 'query'>, statements: Statement[], pipelined: boolean) {
  if (pipelined) {
    await Promise.all(statements.map((s) => tx.query(s.text, s.params)))
    return
  }
  for (const s of statements) await tx.query(s.text, s.params)
}

/** One request's worth of SQL in the given mode. */
export function sqlOperation(load: Omit<SqlLoad, 'connections' | 'seconds'>, i: number, now: string) {
  const { db, mode, endpoint, fixture, claims } = load
  const statements = endpoint.statements(
    fixture,
    i,
    mode === 'sql-authenticated' ? 'caller' : 'superuser',
    now,
  )
  const pipelined = endpoint.kind === 'read'
  switch (mode) {
    case 'sql-superuser':
      return runAll(db, statements, pipelined)
    case 'sql-superuser-tx':
      // As withUser does: the set-up pipelined with the request's statements.
      return db.transaction((tx) =>
        Promise.all([
          tx.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify(claims)]),
          runAll(tx, statements, pipelined),
        ]),
      )
    case 'sql-authenticated':
      return withUser(db, claims, (tx) => runAll(tx, statements, pipelined))
  }
}

export async function runSqlLoad(load: SqlLoad): Promise<RunResult & { firstError?: string }> {
  const now = new Date().toISOString()
  const latencies: number[] = []
  let errors = 0
  let firstError: string | undefined
  let next = 0
  const started = performance.now()
  const deadline = started + load.seconds * 1000
  const loop = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now()
      try {
        await sqlOperation(load, next++, now)
        latencies.push(performance.now() - t0)
      } catch (error) {
        errors++
        firstError ??= error instanceof Error ? error.message : String(error)
      }
    }
  }
  await Promise.all(Array.from({ length: load.connections }, loop))
  const result = summarise(latencies, errors, (performance.now() - started) / 1000)
  return firstError === undefined ? result : { ...result, firstError }
}
