import type { Queryable } from '../../../../functions/db/database.ts'
import type { Relation } from './catalogue.ts'
import type { Identity } from './world.ts'

/**
 * Whose a row is, as a tenant key: `org:<id>` for organization data,
 * `user:<id>` for what only one user sees, `profile:<id>` for a profile (seen
 * by colleagues), `email:<address>` for what is addressed to an email,
 * `user:<id>@org:<id>` for what is one member's own within an organization
 * (seen by that user while a member, by nobody once removed), `server` for
 * what no user sees. A row with `org_id` belongs to that
 * organization unless listed here; a table with neither must be listed, so a
 * new table cannot slip through unclassified.
 */
const tenantExpressions: Record<string, string> = {
  'public.organizations': `'org:' || id`,
  'public.users': `'profile:' || id`,
  'public.idempotency_keys': `'user:' || user_id`,
  'public.chat_sessions': `'user:' || user_id || '@org:' || org_id`,
  'public.chat_messages': `(select 'user:' || s.user_id || '@org:' || s.org_id from public.chat_sessions s where s.id = session_id)`,
  'public.notifications': `'user:' || user_id || '@org:' || org_id`,
  'public.job_runs': `'server'`,
  'private.integration_secrets': `(select 'org:' || i.org_id from public.integrations i where i.id = integration_id)`,
}

/**
 * Rows of another tenant that a user may still change on their own, by the
 * column naming that user: their membership (leaving, which also moves the
 * organization's live topic). They are neither victims nor checksummed.
 */
const selfOwnerColumns: Record<string, string> = {
  'public.memberships': 'user_id',
}

/** Whether this row is the caller's own to change (leave), whatever its tenant. */
export function ownedByCaller(
  relation: Pick<Relation, 'name'>,
  row: Record<string, unknown>,
  userId?: string,
) {
  const column = selfOwnerColumns[relation.name]
  return Boolean(column && userId && row[column] === userId)
}

export function tenantOf(relation: Pick<Relation, 'name'> & { columns: { name: string }[] }): string {
  const declared = tenantExpressions[relation.name]
  if (declared) return declared
  if (relation.columns.some((c) => c.name === 'org_id')) return `'org:' || org_id`
  throw new Error(
    `${relation.name}: neither org_id nor a declared tenant. Say whose its rows are in tests/security/postgrest/support/tenancy.ts.`,
  )
}

/** Tenant keys whose rows the caller may see. */
export function readableTenants(identity: Identity): Set<string> {
  const keys = new Set(identity.orgs.map((org) => `org:${org}`))
  if (identity.userId) keys.add(`user:${identity.userId}`)
  for (const org of identity.orgs) keys.add(`user:${identity.userId}@org:${org}`)
  for (const colleague of identity.colleagues) keys.add(`profile:${colleague}`)
  if (identity.email) keys.add(`email:${identity.email.toLowerCase()}`)
  return keys
}

/** Tenant keys whose rows the caller may change: their organizations (not as a viewer) and themselves. */
export function writableTenants(identity: Identity): Set<string> {
  const keys = new Set(identity.writesInOrg ? identity.orgs.map((org) => `org:${org}`) : [])
  if (identity.userId) {
    keys.add(`user:${identity.userId}`)
    keys.add(`profile:${identity.userId}`)
    for (const org of identity.orgs) keys.add(`user:${identity.userId}@org:${org}`)
  }
  return keys
}

/** `table tenant` → md5 of the tenant's rows in that table, leaving out rows the caller owns by themselves. */
export type Checksums = Map<string, string>

/**
 * One statement that checksums every table of ours per tenant: run as the
 * superuser inside an attacker's transaction, it shows whatever the attack
 * changed, before the transaction is rolled back.
 */
export function checksumSql(tables: Relation[]): string {
  return tables
    .map((table) => {
      const owner = selfOwnerColumns[table.name]
      // $1 is the caller's user id.
      const selfOwned = owner && `"${owner}" = $1::uuid`
      return `select '${table.name}' as relation, ${tenantOf(table)} as tenant,
                     md5(string_agg(x::text, '|' order by x::text)) as sum
              from ${table.name} x
              ${selfOwned ? `where not coalesce(${selfOwned}, false)` : ''}
              group by 2`
    })
    .join('\nunion all\n')
}

export async function checksums(
  db: Queryable,
  sql: string,
  identity: Pick<Identity, 'userId' | 'email'>,
): Promise<Checksums> {
  const params = [identity.userId ?? '00000000-0000-0000-0000-000000000000', identity.email ?? '']
  // Only as many parameters as the statement uses: Postgres refuses extra ones.
  const used = Math.max(0, ...[...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])))
  const rows = await db.query<{ relation: string; tenant: string | null; sum: string }>(
    sql,
    params.slice(0, used),
  )
  return new Map(rows.map((row) => [`${row.relation} ${row.tenant ?? 'none'}`, row.sum]))
}

/**
 * The `table tenant` entries that differ between two checksums, for tenants
 * outside `allowed`. A tenant that did not exist before (an organization the
 * caller has just created) is nobody else's, so it is not counted.
 */
export function changedOutside(before: Checksums, after: Checksums, allowed: Set<string>): string[] {
  const tenantOf = (key: string) => key.slice(key.indexOf(' ') + 1)
  const existing = new Set([...before.keys()].map(tenantOf))
  const keys = new Set([...before.keys(), ...after.keys()])
  return [...keys]
    .filter((key) => !allowed.has(tenantOf(key)) && existing.has(tenantOf(key)))
    .filter((key) => before.get(key) !== after.get(key))
    .sort()
}
