import { clientMayWrite } from '../column-ownership.ts'
import { attempt, describeAttempt, isInconclusive } from '../support/attempt.ts'
import type { Suite } from '../support/context.ts'
import { pathColumns } from '../support/paths.ts'
import { freshCopy, insertableColumns, insertFromJson } from '../support/rows.ts'
import { keyMatch } from '../support/statements.ts'
import { readableTenants } from '../support/tenancy.ts'
import { traversalSpellings } from '../support/values.ts'
import { asCaller, type Caller } from '../support/world.ts'
import { type Findings, noFindings } from './findings.ts'

/**
 * Every text column a client may write in a table that holds a Storage path,
 * written with each spelling of a way out of a folder (dot segments, encoded
 * and double-encoded, backslashes, absolute paths, slashes), on insert and on
 * update: afterwards every path column of the row must still have its one
 * allowed shape (../support/paths.ts).
 */
export async function traverseAs(s: Suite, caller: Caller): Promise<Findings> {
  const identity = s.w.identities[caller]
  const reachable = readableTenants(identity)
  const findings = noFindings()
  await asCaller(s.w, caller, async (tx) => {
    for (const relation of s.relations.filter((r) => r.kind === 'table')) {
      const checks = relation.columns
        .map((c) => [c.name, pathColumns[`${relation.name}.${c.name}`]] as const)
        .filter((entry): entry is readonly [string, (row: Record<string, unknown>) => boolean] => !!entry[1])
      if (checks.length === 0) continue
      const constraints = s.constraints.get(relation.name) ?? new Set<string>()
      const texts = relation.columns.filter((c) => c.category === 'S' && !c.generated)
      const own = (s.rows.get(relation.name) ?? []).filter((row) => reachable.has(row.tenant))
      const template = own[0]
      if (!template) continue
      const judge = (
        attack: string,
        result: Awaited<ReturnType<typeof attempt<{ row: Record<string, unknown> }>>>['result'],
      ) => {
        s.count('path spellings tried')
        if (isInconclusive(result, constraints))
          return findings.inconclusive.push(`${attack}: ${describeAttempt(result)}`)
        if (!result.ok) return
        for (const { row } of result.rows)
          for (const [column, holds] of checks)
            if (!holds(row))
              findings.crossings.push(`${attack}: ${column} became ${JSON.stringify(row[column])}`)
      }
      for (const column of texts) {
        for (const spelling of traversalSpellings.filter((t) => !t.includes('\u0000'))) {
          if (clientMayWrite(relation.name, column.name, 'update'))
            judge(
              `update ${relation.name}.${column.name} to ${JSON.stringify(spelling)}`,
              (
                await attempt<{ row: Record<string, unknown> }>(
                  tx,
                  `update ${relation.name} x set "${column.name}" = $2 where ${keyMatch(relation)} returning to_jsonb(x) as row`,
                  [JSON.stringify(template.row), spelling],
                )
              ).result,
            )
          if (clientMayWrite(relation.name, column.name, 'insert')) {
            const copy = { ...freshCopy(relation, template.row, identity.userId), [column.name]: spelling }
            const columns = insertableColumns(relation, (c) => clientMayWrite(relation.name, c, 'insert'))
            judge(
              `insert into ${relation.name} with ${column.name} = ${JSON.stringify(spelling)}`,
              (
                await attempt<{ row: Record<string, unknown> }>(
                  tx,
                  insertFromJson(relation, columns, `returning to_jsonb(${relation.name}.*) as row`),
                  [JSON.stringify(copy)],
                )
              ).result,
            )
          }
        }
      }
    }
  })
  return findings
}
