import { clientMayWrite } from '../column-ownership.ts'
import { attempt, describeAttempt, isInconclusive } from '../support/attempt.ts'
import type { Relation } from '../support/catalogue.ts'
import type { KnownRow, Suite } from '../support/context.ts'
import { castParam, freshCopy, insertableColumns, insertFromJson } from '../support/rows.ts'
import { forgeContext, keyMatch, lookAsSuperuser } from '../support/statements.ts'
import { changedOutside, checksums, ownedByCaller, writableTenants } from '../support/tenancy.ts'
import { forgedValue } from '../support/values.ts'
import { asCaller, type Caller } from '../support/world.ts'
import { type Findings, noFindings } from './findings.ts'

/**
 * Writes as PostgREST sends them (DELETE and PATCH filtered on a row's key,
 * POST, and POST with `Prefer: resolution=merge-duplicates`, an upsert) aimed
 * at rows of tenants the caller may not change. Each must be refused or change
 * nothing, as per-tenant checksums of every table of ours (exposed or not)
 * show from inside the attacker's transaction.
 */
export async function writeAs(s: Suite, caller: Caller): Promise<Findings> {
  const identity = s.w.identities[caller]
  const allowed = writableTenants(identity)
  const findings = noFindings()
  await asCaller(s.w, caller, async (tx) => {
    const baseline = await lookAsSuperuser(tx, (db) => checksums(db, s.checksumQuery, identity))
    for (const relation of s.relations) {
      const victims = victimRows(s, relation, allowed, identity.userId)
      const constraints = s.constraints.get(relation.name) ?? new Set<string>()
      const run = async (attack: string, sql: string, params: unknown[]) => {
        s.count('writes tried')
        const { result, looked } = await attempt<object, string[]>(tx, sql, params, () =>
          lookAsSuperuser(tx, async (db) =>
            changedOutside(baseline, await checksums(db, s.checksumQuery, identity), allowed),
          ),
        )
        if (isInconclusive(result, constraints))
          findings.inconclusive.push(`${attack}: ${describeAttempt(result)}`)
        else if (looked?.length) findings.crossings.push(`${attack}: changed ${looked.join(', ')}`)
        else s.count(result.ok ? 'writes accepted that changed nothing' : 'writes refused')
      }

      for (const victim of victims) {
        const row = JSON.stringify(victim.row)
        const where = `where ${keyMatch(relation)}`
        await run(
          `delete a row of ${victim.tenant} from ${relation.name}`,
          `delete from ${relation.name} x ${where}`,
          [row],
        )
        for (const column of relation.columns.filter((c) => !c.generated)) {
          const forged = forgedValue(column, forgeContext(s, relation, column.name, victim, identity.userId))
          await run(
            `update ${relation.name}.${column.name} of a row of ${victim.tenant}`,
            `update ${relation.name} x set "${column.name}" = ${castParam(column, 2)} ${where}`,
            [row, forged],
          )
        }

        const copy = JSON.stringify(freshCopy(relation, victim.row, identity.userId))
        const all = insertableColumns(relation)
        const clientOnly = insertableColumns(relation, (c) => clientMayWrite(relation.name, c, 'insert'))
        await run(
          `insert a copy of a row of ${victim.tenant} into ${relation.name}`,
          insertFromJson(relation, all, ''),
          [copy],
        )
        if (clientOnly.length && clientOnly.length < all.length)
          await run(
            `insert a copy (client columns only) of a row of ${victim.tenant} into ${relation.name}`,
            insertFromJson(relation, clientOnly, ''),
            [copy],
          )
        const updates = all.filter((c) => !relation.primaryKey.includes(c))
        if (relation.primaryKey.length && updates.length)
          await run(
            `upsert over a row of ${victim.tenant} in ${relation.name}`,
            insertFromJson(
              relation,
              all,
              `on conflict (${relation.primaryKey.map((c) => `"${c}"`).join(', ')})
               do update set ${updates.map((c) => `"${c}" = excluded."${c}"`).join(', ')}`,
            ),
            [row],
          )
      }
    }
  })
  return findings
}

/**
 * One row per tenant the caller may not change, in this table, never one that
 * is the caller's own to change (their membership: leaving is allowed).
 */
function victimRows(s: Suite, relation: Relation, allowed: Set<string>, userId?: string): KnownRow[] {
  const byTenant = new Map<string, KnownRow>()
  for (const row of s.rows.get(relation.name) ?? [])
    if (!allowed.has(row.tenant) && !byTenant.has(row.tenant) && !ownedByCaller(relation, row.row, userId))
      byTenant.set(row.tenant, row)
  return [...byTenant.values()]
}
