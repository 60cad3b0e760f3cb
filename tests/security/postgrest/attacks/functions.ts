import { attempt } from '../support/attempt.ts'
import type { CallableFunction } from '../support/catalogue.ts'
import type { Suite } from '../support/context.ts'
import { lookAsSuperuser } from '../support/statements.ts'
import { changedOutside, checksums, readableTenants, writableTenants } from '../support/tenancy.ts'
import { traversalSpellings } from '../support/values.ts'
import { asCaller, type Caller, type Identity } from '../support/world.ts'
import { type Findings, noFindings } from './findings.ts'

/**
 * Every function anon or authenticated may execute (PostgREST's `/rpc/…` for
 * the exposed schemas; the others run inside policies and triggers with the
 * caller's values), called with another tenant's ids, topics, folders and
 * path spellings in its arguments. A call may fail or answer, but its answer
 * must hold nothing of the other tenant's rows, a yes/no question about
 * another tenant must not answer yes, and it must change nothing of theirs.
 */
export async function callAs(s: Suite, caller: Caller, functions: CallableFunction[]): Promise<Findings> {
  const identity = s.w.identities[caller]
  const findings = noFindings()
  const leaks = findings.crossings
  const secrets = victimValues(s, identity)
  const allowed = writableTenants(identity)
  await asCaller(s.w, caller, async (tx) => {
    const baseline = await lookAsSuperuser(tx, (db) => checksums(db, s.checksumQuery, identity))
    for (const fn of functions) {
      if (caller === 'anon' ? !fn.anon : !fn.authenticated) continue
      for (const args of argumentSets(s, fn, identity)) {
        const call = `${fn.name}(${fn.args.map((a, i) => `$${i + 1}::${a.type}`).join(', ')})`
        const sql =
          fn.returnType === 'void'
            ? `select null::jsonb as result from (select ${call}) x`
            : `select coalesce(jsonb_agg(to_jsonb(r)), '[]'::jsonb) as result from ${call} as r`
        const { result, looked } = await attempt<{ result: unknown }, string[]>(tx, sql, args, () =>
          lookAsSuperuser(tx, async (db) =>
            changedOutside(baseline, await checksums(db, s.checksumQuery, identity), allowed),
          ),
        )
        s.count('calls')
        const shown = `${fn.name}(${args.map((a) => JSON.stringify(a)).join(', ')})`
        s.count(result.ok ? 'calls answered' : 'calls refused')
        if (!result.ok) continue
        const text = JSON.stringify(result.rows[0]?.result ?? null)
        const found = [...secrets].filter((secret) => text.includes(secret))
        if (found.length) leaks.push(`${shown} answered ${found.length} of another tenant's values`)
        const aboutOthers = args.some((a) => typeof a === 'string' && [...secrets].some((v) => a.includes(v)))
        if (fn.returnType === 'boolean' && aboutOthers && text === '[true]')
          leaks.push(`${shown} answered yes about another tenant`)
        if (looked?.length) leaks.push(`${shown} changed ${looked.join(', ')}`)
      }
    }
  })
  return findings
}

/** Ids, names and other text of rows of tenants the caller is not part of (and not in its own). */
function victimValues(s: Suite, identity: Identity): Set<string> {
  const reachable = readableTenants(identity)
  const mine = new Set<string>()
  const theirs = new Set<string>()
  for (const rows of s.rows.values())
    for (const row of rows)
      for (const value of Object.values(row.row)) {
        if (typeof value !== 'string' || value.length < 8) continue
        ;(identity.caller !== 'anon' && reachable.has(row.tenant) ? mine : theirs).add(value)
      }
  return new Set([...theirs].filter((value) => !mine.has(value)))
}

/** Victim ids by what they are, from rows of tenants the caller is not part of. */
function victimIds(s: Suite, identity: Identity): Record<string, string[]> {
  const reachable = readableTenants(identity)
  const ids: Record<string, string[]> = {}
  for (const [table, rows] of s.rows) {
    const kind = table.replace(/^public\./, '')
    for (const row of rows) {
      if (identity.caller !== 'anon' && reachable.has(row.tenant)) continue
      const id = row.row.id
      if (typeof id !== 'string') continue
      const list = ids[kind] ?? []
      if (list.length < 2) list.push(id)
      ids[kind] = list
    }
  }
  return ids
}

/**
 * Arguments to try: a base set pointing at another tenant, then each argument
 * varied over its candidates. Candidates come from the argument's name
 * (`p_org_id` → organizations, `p_topic` → realtime topics) and type.
 */
function argumentSets(s: Suite, fn: CallableFunction, identity: Identity): unknown[][] {
  const ids = victimIds(s, identity)
  const all = Object.values(ids).flat()
  const orgs = ids.organizations ?? []
  const customers = ids.customers ?? []
  const candidates = fn.args.map((arg): unknown[] => {
    const name = arg.name.toLowerCase()
    if (arg.type === 'uuid') {
      const hinted = Object.entries(ids).find(([kind]) =>
        name.includes(kind.replace(/s$/, '').replace(/^chat_/, '')),
      )
      if (name.includes('org')) return orgs
      if (name.includes('user')) return ids.users ?? []
      return hinted ? hinted[1] : all.slice(0, 8)
    }
    if (arg.type === 'text[]')
      return [
        ['org', orgs[0], 'customers', customers[0]],
        ['org', orgs[0], 'customers', customers[0], '..', '..'],
      ]
    if (arg.category === 'S') {
      if (name.includes('topic'))
        return [`org:${orgs[0]}`, ...(ids.chat_sessions ?? []).map((id) => `chat:${id}`)]
      if (name.includes('pattern')) return ['%', '_']
      return traversalSpellings.filter((t) => !t.includes('\u0000')).slice(0, 6)
    }
    if (arg.category === 'E') return [arg.labels.at(-1), arg.labels[0]]
    if (arg.category === 'B') return [true, false]
    if (arg.type === 'date') return ['2026-11-01']
    if (arg.category === 'D') return [new Date().toISOString()]
    if (arg.type === 'jsonb' || arg.type === 'json') return [JSON.stringify({ org_id: orgs[0] })]
    return [null]
  })
  const base: unknown[] = candidates.map((list) => list[0] ?? null)
  const sets: unknown[][] = [base]
  candidates.forEach((list, i) => {
    for (const value of list.slice(1)) sets.push(base.map((b, j) => (j === i ? value : b)))
  })
  return sets
}
