import type { Transaction } from '../db/database.ts'
import { createContacts, findContacts, updateContacts } from '../queries/contacts.ts'
import { findCustomers } from '../queries/customers.ts'
import { ContactCreate } from '../routes/contacts/contacts.schemas.ts'
import { externalIdsOf, pickCustomer } from './customer-lookup.ts'
import {
  type ChunkOutcome,
  cellOrNull,
  defaultChunkSize,
  type ImportReport,
  importInChunks,
  prepareImport,
  type RowError,
  type RunAsCaller,
  rowErrorsOf,
} from './import-in-chunks.ts'
import type { SourceRow } from './source.ts'

const fields = new Set([
  'customer_name',
  'customer_external_id',
  'customer_provider',
  'name',
  'email',
  'phone',
  'role',
])

/** The fields a contacts file may fill; `customer_external_id.<provider>` columns too. */
export const acceptsContactField = (field: string) =>
  fields.has(field) || field.startsWith('customer_external_id.')

interface ContactInput {
  line: number
  customerName: string | null
  customerExt: Record<string, string>
  /** Only the fields the file has: an absent column leaves an existing contact's value alone. */
  contact: { name: string; email?: string | null; phone?: string | null; role?: string | null }
}

function validate(row: SourceRow): ContactInput | RowError[] {
  const f = row.fields
  const errors: RowError[] = []
  const contact: Record<string, unknown> = { name: f.name ?? '' }
  for (const key of ['email', 'phone', 'role'] as const) {
    const value = cellOrNull(f[key])
    if (value !== undefined) contact[key] = value
  }
  const parsed = ContactCreate.safeParse(contact)
  if (!parsed.success) errors.push(...rowErrorsOf(row.line, parsed.error))
  const { ext, errors: extErrors } = externalIdsOf(f, 'customer_')
  errors.push(...extErrors.map((e) => ({ line: row.line, ...e })))
  const customerName = cellOrNull(f.customer_name) ?? null
  if (!customerName && Object.keys(ext).length === 0 && extErrors.length === 0)
    errors.push({ line: row.line, field: 'customer_name', message: 'name the customer (or its external id)' })
  if (errors.length > 0 || !parsed.success) return errors
  return { line: row.line, customerName, customerExt: ext, contact: parsed.data }
}

/**
 * Imports contacts: each row finds its customer by external id or exact name
 * (it must exist: import customers first), then updates the customer's contact
 * with the same email (case-insensitive), or without email the one with the
 * same name and no email, or else adds one.
 */
export async function importContacts(
  run: RunAsCaller,
  orgId: string,
  rows: SourceRow[],
  chunkSize = defaultChunkSize,
): Promise<ImportReport> {
  await run((tx) => prepareImport(tx, orgId))
  return importInChunks(rows, chunkSize, run, (tx, chunk) => writeChunk(tx, orgId, chunk))
}

async function writeChunk(tx: Transaction, orgId: string, rows: SourceRow[]): Promise<ChunkOutcome> {
  const errors: RowError[] = []
  const inputs: ContactInput[] = []
  for (const row of rows) {
    const result = validate(row)
    if (Array.isArray(result)) errors.push(...result)
    else inputs.push(result)
  }
  const matches = await findCustomers(
    tx,
    orgId,
    inputs.map((input, i) => ({ i, name: input.customerName, ext: input.customerExt })),
  )
  const resolved: (ContactInput & { customerId: string })[] = []
  inputs.forEach((input, i) => {
    const picked = pickCustomer(matches.get(i))
    const field = input.customerName ? 'customer_name' : 'customer_external_id'
    if ('error' in picked) errors.push({ line: input.line, field, message: picked.error })
    else if (!picked.id)
      errors.push({ line: input.line, field, message: 'names no customer of the organization' })
    else resolved.push({ ...input, customerId: picked.id })
  })
  const seen = new Map<string, number>()
  for (const input of resolved) {
    const key = `${input.customerId}:${input.contact.email ? `@${input.contact.email.toLowerCase()}` : input.contact.name}`
    const earlier = seen.get(key)
    if (earlier !== undefined)
      errors.push({ line: input.line, field: 'email', message: `is the same contact as line ${earlier}` })
    seen.set(key, input.line)
  }
  if (errors.length > 0) return { errors }

  const existing = await findContacts(
    tx,
    orgId,
    resolved.map((input, i) => ({
      i,
      customerId: input.customerId,
      name: input.contact.name,
      email: input.contact.email ?? null,
    })),
  )
  const updates = resolved.flatMap((input, i) => {
    const id = existing.get(i)
    return id === undefined ? [] : [{ id, ...input.contact }]
  })
  const inserts = resolved
    .filter((_, i) => !existing.has(i))
    .map((input) => ({
      customerId: input.customerId,
      name: input.contact.name,
      email: input.contact.email ?? null,
      phone: input.contact.phone ?? null,
      role: input.contact.role ?? null,
    }))
  const updated = await updateContacts(tx, orgId, updates, { skipUnchanged: true })
  await createContacts(tx, orgId, inserts)
  return { created: inserts.length, updated: updated.length, unchanged: updates.length - updated.length }
}
