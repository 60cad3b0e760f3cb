import type { CustomerMatches } from '../queries/customers.ts'

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
