import type { Queryable } from '../db/database.ts'

export interface CustomerKey {
  i: number
  name: string | null
  /** External ids by provider. */
  ext: Record<string, string>
}

export interface CustomerMatches {
  byExt: string[]
  byName: string[]
}

/**
 * The existing customers each key names: those holding any of its external
 * ids, and those with exactly its name. Two plain joins against the set of keys
 * (not a subquery per key), so the plan stays one index or hash join whatever
 * the table's statistics say. RLS applies: only customers the caller sees count.
 */
export async function lookupCustomers(
  tx: Queryable,
  orgId: string,
  keys: CustomerKey[],
): Promise<Map<number, CustomerMatches>> {
  const matches = new Map<number, CustomerMatches>(keys.map((k) => [k.i, { byExt: [], byName: [] }]))
  const extKeys = keys.flatMap((k) =>
    Object.entries(k.ext).map(([provider, external_id]) => ({ i: k.i, provider, external_id })),
  )
  if (extKeys.length > 0) {
    const rows = await tx.query<{ i: number; customer_id: string }>(
      `select distinct k.i, e.customer_id
       from jsonb_to_recordset($2::jsonb) as k(i int, provider text, external_id text)
       join public.customer_external_ids e
         on e.org_id = $1 and e.provider = k.provider and e.external_id = k.external_id`,
      [orgId, JSON.stringify(extKeys)],
    )
    for (const r of rows) matches.get(r.i)?.byExt.push(r.customer_id)
  }
  const nameKeys = keys.filter((k) => k.name !== null).map((k) => ({ i: k.i, name: k.name }))
  if (nameKeys.length > 0) {
    const rows = await tx.query<{ i: number; id: string }>(
      `select k.i, c.id
       from jsonb_to_recordset($2::jsonb) as k(i int, name text)
       join public.customers c on c.org_id = $1 and c.name = k.name`,
      [orgId, JSON.stringify(nameKeys)],
    )
    for (const r of rows) matches.get(r.i)?.byName.push(r.id)
  }
  return matches
}

/** The one customer a key names, or why there is none to pick. */
export function pickCustomer(m: CustomerMatches | undefined): { id: string | null } | { error: string } {
  if (!m) return { id: null }
  if (m.byExt.length > 1) return { error: 'its external ids belong to different customers' }
  if (m.byExt.length === 1) return { id: m.byExt[0] as string }
  if (m.byName.length > 1) return { error: 'several customers have this name: add an external id' }
  return { id: m.byName[0] ?? null }
}

const providerFormat = /^[a-z][a-z0-9_]{1,31}$/

/**
 * External ids from `external_id` + `provider` cells and `external_id.<provider>`
 * columns (as an export writes them), each checked as the table checks it.
 */
export function externalIdsOf(
  fields: Record<string, string | undefined>,
  prefix: string,
): { ext: Record<string, string>; errors: { field: string; message: string }[] } {
  const ext: Record<string, string> = {}
  const errors: { field: string; message: string }[] = []
  const add = (field: string, provider: string, id: string) => {
    if (!providerFormat.test(provider))
      errors.push({ field, message: 'provider must be lower case letters, digits or _ (2–32)' })
    else if (id.length > 200) errors.push({ field, message: 'is longer than 200 characters' })
    else ext[provider] = id
  }
  const single = fields[`${prefix}external_id`]?.trim()
  const provider = fields[`${prefix}provider`]?.trim()
  if (single && !provider)
    errors.push({ field: `${prefix}provider`, message: 'is required with an external id' })
  if (single && provider) add(`${prefix}provider`, provider, single)
  for (const [field, value] of Object.entries(fields)) {
    const id = value?.trim()
    if (id && field.startsWith(`${prefix}external_id.`))
      add(field, field.slice(`${prefix}external_id.`.length), id)
  }
  return { ext, errors }
}
