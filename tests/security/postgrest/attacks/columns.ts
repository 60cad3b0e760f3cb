import { clientMayWrite } from '../column-ownership.ts'
import { attempt, describeAttempt, isInconclusive } from '../support/attempt.ts'
import type { Relation } from '../support/catalogue.ts'
import type { KnownRow, Suite } from '../support/context.ts'
import { castParam, freshCopy, insertableColumns, insertFromJson, jsonValue } from '../support/rows.ts'
import { forgeContext, keyMatch } from '../support/statements.ts'
import { readableTenants } from '../support/tenancy.ts'
import { forgedValue } from '../support/values.ts'
import { asCaller, type Caller } from '../support/world.ts'
import { type Findings, noFindings } from './findings.ts'

/**
 * Server-owned columns, attacked one by one: each column of each exposed
 * table, written by update and by insert with a value the database would never
 * have chosen (a timestamp in 2001, another user's id, a status it did not
 * set, a path out of its folder). Unless ../column-ownership.ts says clients
 * choose that column, the value must not be stored.
 */
export async function forgeAs(s: Suite, caller: Caller): Promise<Findings> {
  const identity = s.w.identities[caller]
  const reachable = readableTenants(identity)
  const findings = noFindings()
  await asCaller(s.w, caller, async (tx) => {
    for (const relation of s.relations.filter((r) => r.kind === 'table')) {
      const targets = rowsToTarget(s, relation, reachable)
      const constraints = s.constraints.get(relation.name) ?? new Set<string>()
      const writable = relation.columns.filter((c) => !c.generated)
      const judge = (
        attack: string,
        result: Awaited<ReturnType<typeof attempt<{ stored: boolean }>>>['result'],
      ) => {
        if (isInconclusive(result, constraints))
          findings.inconclusive.push(`${attack}: ${describeAttempt(result)}`)
        else if (result.ok && result.rows.some((r) => r.stored)) findings.crossings.push(`${attack}: stored`)
      }

      // PATCH one column of a reachable row.
      for (const target of targets) {
        for (const column of writable) {
          if (clientMayWrite(relation.name, column.name, 'update')) continue
          const forged = forgedValue(column, forgeContext(s, relation, column.name, target, identity.userId))
          s.count('updates tried')
          const { result } = await attempt<{ stored: boolean }>(
            tx,
            `update ${relation.name} x set "${column.name}" = ${castParam(column, 2)}
             where ${keyMatch(relation)}
             returning ("${column.name}" is not distinct from ${castParam(column, 2)}) as stored`,
            [JSON.stringify(target.row), forged],
          )
          judge(`update ${relation.name}.${column.name} of a row of ${target.tenant} to ${forged}`, result)
        }
      }

      // POST a copy of a reachable row, made the caller's own, with one forged column.
      const template = targets[0]
      if (!template) continue
      const copy = freshCopy(relation, template.row, identity.userId)
      const clientColumns = insertableColumns(relation, (c) => clientMayWrite(relation.name, c, 'insert'))
      const control = await attempt(tx, insertFromJson(relation, clientColumns), [JSON.stringify(copy)])
      s.count('inserts tried')
      if (!control.result.ok) {
        // The caller may not insert here at all (the policies' business), or the copy is malformed.
        if (isInconclusive(control.result, constraints))
          findings.inconclusive.push(
            `insert a copy of ${template.tenant}'s row into ${relation.name}: ${describeAttempt(control.result)}`,
          )
        continue
      }
      for (const column of writable) {
        if (clientMayWrite(relation.name, column.name, 'insert')) continue
        const forged = forgedValue(column, forgeContext(s, relation, column.name, template, identity.userId))
        const row = { ...copy, [column.name]: jsonValue(column, forged) }
        s.count('inserts tried')
        const { result } = await attempt<{ stored: boolean }>(
          tx,
          insertFromJson(
            relation,
            [...clientColumns, column.name],
            `returning ("${column.name}" is not distinct from ${castParam(column, 2)}) as stored`,
          ),
          [JSON.stringify(row), forged],
        )
        judge(`insert into ${relation.name} with ${column.name} = ${forged}`, result)
      }
    }
  })
  return findings
}

/** Up to two rows per tenant the caller can see (a rep's own customer and a colleague's, say). */
function rowsToTarget(s: Suite, relation: Relation, reachable: Set<string>): KnownRow[] {
  const perTenant = new Map<string, KnownRow[]>()
  for (const row of s.rows.get(relation.name) ?? []) {
    if (!reachable.has(row.tenant)) continue
    const list = perTenant.get(row.tenant) ?? []
    if (list.length < 2) list.push(row)
    perTenant.set(row.tenant, list)
  }
  return [...perTenant.values()].flat()
}
