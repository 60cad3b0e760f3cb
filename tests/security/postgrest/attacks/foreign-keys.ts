import { clientMayWrite } from '../column-ownership.ts'
import { type Attempt, attempt, describeAttempt } from '../support/attempt.ts'
import type { ForeignKey, Relation } from '../support/catalogue.ts'
import type { KnownRow, Suite } from '../support/context.ts'
import { freshCopy, insertableColumns, insertFromJson } from '../support/rows.ts'
import { keyMatch } from '../support/statements.ts'
import { readableTenants } from '../support/tenancy.ts'
import { asCaller, type Caller, type Identity } from '../support/world.ts'
import { type Findings, noFindings } from './findings.ts'

/**
 * Foreign keys aimed across tenants: a caller writes a row of its own
 * organization whose reference points at another tenant's row (a contact
 * under org B's customer, a customer owned by a stranger, a membership for a
 * user who never accepted anything). Every foreign key of every exposed table,
 * on insert and on update, must be refused or not stored.
 */
export async function pointAs(s: Suite, caller: Caller): Promise<Findings> {
  const identity = s.w.identities[caller]
  const reachable = readableTenants(identity)
  const findings = noFindings()
  const judge = (attack: string, result: Attempt<{ stored: boolean }>) => {
    s.count('references tried')
    if (!result.ok) {
      // A value the table refuses for itself (a check, a key) says nothing about the reference.
      if (result.code.startsWith('22') || ['23502', '23505', '23514'].includes(result.code))
        findings.inconclusive.push(`${attack}: ${describeAttempt(result)}`)
      else s.count('references refused')
      return
    }
    if (result.rows.some((row) => row.stored)) findings.crossings.push(attack)
    else s.count(result.rows.length ? 'references not stored' : 'references hit no row')
  }
  await asCaller(s.w, caller, async (tx) => {
    for (const relation of s.relations.filter((r) => r.kind === 'table')) {
      const own = (s.rows.get(relation.name) ?? []).filter((row) => reachable.has(row.tenant))
      for (const fk of relation.foreignKeys) {
        for (const target of foreignTargets(s, fk, identity)) {
          const values = Object.fromEntries(fk.columns.map((c, i) => [c, target[fk.refColumns[i] as string]]))
          // Composite keys with org_id: pointing the other column alone is the cross-tenant attempt;
          // moving org_id too would make the whole row the other tenant's (the writes suite's case).
          const pointed = fk.columns.length > 1 ? fk.columns.filter((c) => c !== 'org_id') : fk.columns
          const stored = `(${pointed.map((c) => `"${c}"`).join(', ')}) is not distinct from (${pointed
            .map((c) => `($2::jsonb ->> '${c}')::${typeOf(relation, c)}`)
            .join(', ')})`
          const label = `${relation.name} (${pointed.join(', ')}) → ${fk.refTable} of ${target.__tenant}`
          for (const row of own.slice(0, 2)) {
            const { result } = await attempt<{ stored: boolean }>(
              tx,
              `update ${relation.name} x set ${pointed
                .map((c) => `"${c}" = ($2::jsonb ->> '${c}')::${typeOf(relation, c)}`)
                .join(', ')} where ${keyMatch(relation)} returning ${stored} as stored`,
              [JSON.stringify(row.row), JSON.stringify(values)],
            )
            judge(`update ${label}`, result)
          }
          const template = own[0]
          if (!template) continue
          const copy = { ...freshCopy(relation, template.row, identity.userId), ...pick(values, pointed) }
          const columns = insertableColumns(
            relation,
            (c) => clientMayWrite(relation.name, c, 'insert') || pointed.includes(c),
          )
          const { result } = await attempt<{ stored: boolean }>(
            tx,
            insertFromJson(relation, columns, `returning ${stored} as stored`),
            [JSON.stringify(copy), JSON.stringify(values)],
          )
          judge(`insert ${label}`, result)
        }
      }
    }
  })
  return findings
}

/** Rows of the referenced table that belong to tenants the caller is not part of. */
function foreignTargets(s: Suite, fk: ForeignKey, identity: Identity): Record<string, unknown>[] {
  if (fk.refTable === 'public.users' || fk.refTable === 'auth.users') {
    // A user who shares no organization with the caller.
    const strangers = [s.w.f.users.stranger.id, s.w.f.users.outsider.id, s.w.f.users.rep.id].filter(
      (id) => !identity.colleagues.includes(id),
    )
    return strangers.slice(0, 1).map((id) => ({ id, __tenant: `profile:${id}` }))
  }
  const reachable = readableTenants(identity)
  const byTenant = new Map<string, KnownRow>()
  for (const row of s.rows.get(fk.refTable) ?? [])
    if (!reachable.has(row.tenant) && !byTenant.has(row.tenant)) byTenant.set(row.tenant, row)
  return [...byTenant.values()].map((row) => ({ ...row.row, __tenant: row.tenant }))
}

function typeOf(relation: Relation, column: string): string {
  return relation.columns.find((c) => c.name === column)?.type ?? 'text'
}

function pick(values: Record<string, unknown>, columns: string[]) {
  return Object.fromEntries(columns.map((c) => [c, values[c]]))
}
