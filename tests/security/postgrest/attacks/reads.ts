import { attempt } from '../support/attempt.ts'
import type { Suite } from '../support/context.ts'
import { readableTenants } from '../support/tenancy.ts'
import { asCaller, type Caller } from '../support/world.ts'
import { type Findings, noFindings } from './findings.ts'

/**
 * `GET /rest/v1/<table>?select=*` for every table and view of the exposed
 * schemas: each row the caller gets must belong to a tenant it is part of.
 */
export async function readAs(s: Suite, caller: Caller): Promise<Findings> {
  const identity = s.w.identities[caller]
  const mine = readableTenants(identity)
  const findings = noFindings()
  await asCaller(s.w, caller, async (tx) => {
    for (const relation of s.relations) {
      const known = new Map((s.rows.get(relation.name) ?? []).map((row) => [row.key, row]))
      const { result } = await attempt<{ row: Record<string, unknown> }>(
        tx,
        `select to_jsonb(x) as row from ${relation.name} x`,
        [],
      )
      s.count('selects')
      if (!result.ok) {
        s.count('selects refused')
        continue
      }
      for (const { row } of result.rows) {
        s.count('rows seen')
        const key = relation.primaryKey.length ? relation.primaryKey : relation.columns.map((c) => c.name)
        const pk = JSON.stringify(key.map((c) => row[c] ?? null))
        const tenant = known.get(pk)?.tenant ?? 'unknown'
        if (caller === 'anon' || !mine.has(tenant))
          findings.crossings.push(`${relation.name} ${pk} (${tenant})`)
      }
    }
  })
  return findings
}
