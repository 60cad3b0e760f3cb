import type { AclEntry } from './catalogue.ts'

/** The order privileges are named in, as Postgres's documentation lists them. */
const privilegeOrder = [
  'SELECT',
  'INSERT',
  'UPDATE',
  'DELETE',
  'TRUNCATE',
  'REFERENCES',
  'TRIGGER',
  'MAINTAIN',
  'USAGE',
  'CREATE',
  'EXECUTE',
  'CONNECT',
  'TEMPORARY',
]

const rank = (privilege: string) => {
  const index = privilegeOrder.indexOf(privilege)
  return index < 0 ? privilegeOrder.length : index
}

const byPrivilege = (a: string, b: string) => rank(a) - rank(b) || compare(a, b)

/** Code-unit order: the same on every machine and locale. */
export const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

const id = (e: AclEntry) => `${e.grantee}\t${e.privilege}\t${e.grantable}`

/** Groups `items` by `key`, in key order. */
function groups<T>(items: T[], key: (item: T) => string): [string, T[]][] {
  const map = new Map<string, T[]>()
  for (const item of items) map.set(key(item), [...(map.get(key(item)) ?? []), item])
  return [...map.entries()].sort(([a], [b]) => compare(a, b))
}

interface AclChange {
  action: 'REVOKE' | 'REVOKE GRANT OPTION FOR' | 'GRANT' | 'GRANT WITH GRANT OPTION'
  entry: AclEntry
}

/** What turns `reference` into `actual`, entry by entry. */
function aclChanges(actual: AclEntry[], reference: AclEntry[]): AclChange[] {
  const actualIds = new Set(actual.map(id))
  const referenceIds = new Set(reference.map(id))
  const sameIn = (list: AclEntry[], e: AclEntry) =>
    list.find((o) => o.grantee === e.grantee && o.privilege === e.privilege)
  const changes: AclChange[] = []
  for (const entry of reference) {
    if (actualIds.has(id(entry))) continue
    const kept = sameIn(actual, entry)
    // Held with the other grant option: one statement says it, from whichever side holds the option.
    if (!kept) changes.push({ action: 'REVOKE', entry })
    else if (entry.grantable) changes.push({ action: 'REVOKE GRANT OPTION FOR', entry })
  }
  for (const entry of actual) {
    if (referenceIds.has(id(entry))) continue
    const before = sameIn(reference, entry)
    if (!before) changes.push({ action: entry.grantable ? 'GRANT WITH GRANT OPTION' : 'GRANT', entry })
    else if (entry.grantable) changes.push({ action: 'GRANT WITH GRANT OPTION', entry })
  }
  return changes
}

function statement(
  prefix: string,
  action: AclChange['action'],
  privileges: string,
  on: string,
  grantee: string,
) {
  if (action === 'GRANT') return `${prefix}GRANT ${privileges} ON ${on} TO ${grantee};`
  if (action === 'GRANT WITH GRANT OPTION')
    return `${prefix}GRANT ${privileges} ON ${on} TO ${grantee} WITH GRANT OPTION;`
  return `${prefix}${action} ${privileges} ON ${on} FROM ${grantee};`
}

const actionOrder: AclChange['action'][] = [
  'REVOKE',
  'REVOKE GRANT OPTION FOR',
  'GRANT',
  'GRANT WITH GRANT OPTION',
]

/**
 * GRANT and REVOKE statements that turn `reference` (what the object would
 * have by default) into `actual`: revokes first, one statement per grantee,
 * privileges in the documentation's order. `on` is e.g. `TABLE public.x`;
 * `prefix` makes them default privileges (`ALTER DEFAULT PRIVILEGES … `).
 */
export function aclStatements(on: string, actual: AclEntry[], reference: AclEntry[], prefix = ''): string[] {
  const changes = aclChanges(actual, reference)
  return actionOrder.flatMap((action) => {
    const perGrantee = groups(
      changes.filter((c) => c.action === action),
      (c) => c.entry.grantee,
    ).map(([grantee, list]) => ({
      grantee,
      privileges: list
        .map((c) => c.entry.privilege)
        .sort(byPrivilege)
        .join(', '),
    }))
    // Grantees given (or refused) the same privileges share one statement, in grantee order.
    const byPrivileges = new Map<string, string[]>()
    for (const { grantee, privileges } of perGrantee)
      byPrivileges.set(privileges, [...(byPrivileges.get(privileges) ?? []), grantee])
    return [...byPrivileges].map(([privileges, grantees]) =>
      statement(prefix, action, privileges, on, grantees.join(', ')),
    )
  })
}

/** Column privileges (which no column has by default): `GRANT UPDATE (a, b) ON TABLE x TO role`. */
export function columnAclStatements(
  table: string,
  columns: { name: string; acl: AclEntry[]; reference: AclEntry[] }[],
): string[] {
  const changes = columns.flatMap((column) =>
    aclChanges(column.acl, column.reference).map((change) => ({ ...change, column: column.name })),
  )
  return actionOrder.flatMap((action) =>
    groups(
      changes.filter((c) => c.action === action),
      (c) => `${c.entry.grantee}\t${String(rank(c.entry.privilege)).padStart(2, '0')}${c.entry.privilege}`,
    ).map(([, list]) => {
      const first = list[0] as (typeof list)[number]
      const names = list.map((c) => c.column).join(', ')
      return statement(
        '',
        action,
        `${first.entry.privilege} (${names})`,
        `TABLE ${table}`,
        first.entry.grantee,
      )
    }),
  )
}
