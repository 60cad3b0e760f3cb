// EXPLAIN (ANALYZE, BUFFERS, VERBOSE) of every statement as the API runs it:
// role `authenticated` with the rep's claims, in a transaction that is rolled
// back (the writes leave nothing behind).

import type { Database } from '../../functions/db/database.ts'
import { type UserClaims, withUser } from '../../functions/db/with-user.ts'
import type { Endpoint, Fixture } from './scenarios.ts'

export interface PlanFindings {
  /** Plan lines reading a large table sequentially. */
  seqScans: string[]
  /** InitPlans: evaluated once per statement. */
  initPlans: number
  /** Hashed SubPlans (`x in (select …)`): the set is built once per statement, then probed per row. */
  hashedSubPlans: number
  /** Correlated SubPlans, run once per outer row. */
  correlatedSubPlans: number
  /** RLS helpers (private.*) evaluated once per statement (InitPlan, or a hashed SubPlan built once). */
  helpersOnce: string[]
  /** RLS helpers evaluated per row: in a Filter, or in a node that ran more than once. */
  helpersPerRow: string[]
  executionMs: number | undefined
}

export interface ExplainedStatement {
  endpoint: string
  statement: number
  sql: string
  plan: string
  findings: PlanFindings
}

const largeTables = [
  'customers',
  'timeline_events',
  'contacts',
  'processes',
  'services',
  'teams',
  'documents',
]
const helperPattern = /private\.\w+(?=\()/g
const nodePattern = /\(actual time=|\(never executed\)/

/** Reads a text plan (ANALYZE, VERBOSE) for what issue 10 asks about. Pure, for tests. */
export function analysePlan(plan: string): PlanFindings {
  const lines = plan.split('\n')
  const seqScans = lines
    .filter((l) => new RegExp(`Seq Scan on (public\\.)?(${largeTables.join('|')})\\b`).test(l))
    .map((l) => l.trim().replace(/^->\s*/, ''))
  const once = new Set<string>()
  const perRow = new Set<string>()
  let loops = 1
  for (const line of lines) {
    if (nodePattern.test(line)) loops = Number(/loops=(\d+)/.exec(line)?.[1] ?? 0)
    const trimmed = line.trim()
    for (const [helper] of line.matchAll(helperPattern)) {
      // A node's Output is computed once per row it emits: once in all when that node ran once
      // and emitted the set (ProjectSet under an InitPlan or a hashed SubPlan). A Filter runs per row.
      const inOutput = trimmed.startsWith('Output:') || trimmed.startsWith('One-Time Filter:')
      ;(inOutput && loops <= 1 ? once : perRow).add(helper)
    }
  }
  const hashed = new Set([...plan.matchAll(/hashed SubPlan (\d+)/g)].map((m) => m[1]))
  const subPlanHeaders = lines.map((l) => /^\s*SubPlan (\d+)/.exec(l)?.[1]).filter((n) => n !== undefined)
  const execution = /Execution Time: ([\d.]+) ms/.exec(plan)
  return {
    seqScans,
    initPlans: lines.filter((l) => /^\s*InitPlan \d+/.test(l)).length,
    hashedSubPlans: subPlanHeaders.filter((n) => hashed.has(n)).length,
    correlatedSubPlans: subPlanHeaders.filter((n) => !hashed.has(n)).length,
    helpersOnce: [...once].sort(),
    helpersPerRow: [...perRow].sort(),
    executionMs: execution?.[1] === undefined ? undefined : Number(execution[1]),
  }
}

class Rollback extends Error {}

export async function explainEndpoints(
  db: Database,
  endpoints: Endpoint[],
  fixture: Fixture,
  claims: UserClaims,
): Promise<ExplainedStatement[]> {
  const now = new Date().toISOString()
  const out: ExplainedStatement[] = []
  for (const endpoint of endpoints) {
    const statements = endpoint.statements(fixture, 0, 'caller', now)
    try {
      await withUser(db, claims, async (tx) => {
        for (const [index, s] of statements.entries()) {
          const rows = await tx.query<{ 'QUERY PLAN': string }>(
            `explain (analyze, buffers, verbose, format text) ${s.text}`,
            s.params,
          )
          const plan = rows.map((r) => r['QUERY PLAN']).join('\n')
          out.push({
            endpoint: endpoint.name,
            statement: index + 1,
            sql: s.text,
            plan,
            findings: analysePlan(plan),
          })
        }
        throw new Rollback()
      })
    } catch (error) {
      if (!(error instanceof Rollback)) throw error
    }
  }
  return out
}
