import type { Transaction } from '../db/database.ts'
import type { CustomerPhase } from '../domain/vocabulary.ts'
import {
  type CustomerDealFields,
  createCustomers,
  findCustomers,
  linkExternalIds,
  updateCustomers,
} from '../queries/customers.ts'
import { CustomerCreate } from '../routes/customers/customers.schemas.ts'
import { externalIdsOf, pickCustomer } from './customer-lookup.ts'
import {
  type ChunkOutcome,
  cellOrNull,
  defaultChunkSize,
  type ImportContext,
  type ImportReport,
  importInChunks,
  prepareImport,
  type RowError,
  type RunAsCaller,
  rowErrorsOf,
} from './import-in-chunks.ts'
import type { SourceRow } from './source.ts'

const dealColumns = ['deal_value', 'expected_close_date', 'next_step'] as const
const fields = new Set([
  'name',
  'phase',
  'owner_id',
  'owner_email',
  'external_id',
  'provider',
  ...dealColumns,
])

/** The fields a customers file may fill; `external_id.<provider>` columns too. */
export const acceptsCustomerField = (field: string) => fields.has(field) || field.startsWith('external_id.')

interface CustomerInput {
  line: number
  name: string
  phase: CustomerPhase | undefined
  /** Whether the file says who owns it (an empty owner cell unassigns). */
  ownerGiven: boolean
  ownerId: string | null
  /** A deal column the file has: its value, null for an empty cell (clears it); absent: left as it is. */
  deal: CustomerDealFields
  ext: Record<string, string>
}

/** One row checked with the API's own CustomerCreate schema, its owner a member of the organization. */
function validate(row: SourceRow, context: ImportContext): CustomerInput | RowError[] {
  const f = row.fields
  const errors: RowError[] = []
  const ownerEmail = cellOrNull(f.owner_email)
  let ownerId = cellOrNull(f.owner_id)
  if (ownerEmail) {
    ownerId = context.memberIdByEmail.get(ownerEmail.toLowerCase()) ?? null
    if (!ownerId)
      errors.push({ line: row.line, field: 'owner_email', message: 'is not a member of the organization' })
  }
  const ownerGiven = f.owner_id !== undefined || f.owner_email !== undefined
  const dealCells = Object.fromEntries(
    dealColumns.filter((column) => f[column] !== undefined).map((column) => [column, cellOrNull(f[column])]),
  )
  const parsed = CustomerCreate.safeParse({
    name: f.name ?? '',
    ...(cellOrNull(f.phase) ? { phase: cellOrNull(f.phase) } : {}),
    ...(ownerGiven ? { owner_id: ownerId ?? null } : {}),
    ...dealCells,
  })
  if (!parsed.success) errors.push(...rowErrorsOf(row.line, parsed.error))
  else if (ownerId && !ownerEmail && !context.memberIds.has(ownerId))
    errors.push({ line: row.line, field: 'owner_id', message: 'is not a member of the organization' })
  const { ext, errors: extErrors } = externalIdsOf(f, '')
  errors.push(...extErrors.map((e) => ({ line: row.line, ...e })))
  if (errors.length > 0 || !parsed.success) return errors
  return {
    line: row.line,
    name: parsed.data.name,
    phase: parsed.data.phase,
    ownerGiven,
    ownerId: ownerId ?? null,
    deal: {
      dealValue: parsed.data.deal_value,
      expectedCloseDate: parsed.data.expected_close_date,
      nextStep: parsed.data.next_step,
    },
    ext,
  }
}

/**
 * Imports customers: each row updates the customer holding one of its external
 * ids, else the one with exactly its name, else creates one; its external ids
 * are linked (replacing another id of the same provider).
 */
export async function importCustomers(
  run: RunAsCaller,
  orgId: string,
  rows: SourceRow[],
  chunkSize = defaultChunkSize,
): Promise<ImportReport> {
  const context = await run((tx) => prepareImport(tx, orgId))
  return importInChunks(rows, chunkSize, run, (tx, chunk) => writeChunk(tx, orgId, chunk, context))
}

async function writeChunk(
  tx: Transaction,
  orgId: string,
  rows: SourceRow[],
  context: ImportContext,
): Promise<ChunkOutcome> {
  const errors: RowError[] = []
  const inputs: CustomerInput[] = []
  for (const row of rows) {
    const result = validate(row, context)
    if (Array.isArray(result)) errors.push(...result)
    else inputs.push(result)
  }
  const matches = await findCustomers(
    tx,
    orgId,
    inputs.map((input, i) => ({ i, name: input.name, ext: input.ext })),
  )
  // Two rows of one chunk that name the same customer would race each other in one statement.
  const seen = new Map<string, number>()
  const updates: (CustomerInput & { id: string })[] = []
  const inserts: (CustomerInput & { id: string })[] = []
  inputs.forEach((input, i) => {
    const picked = pickCustomer(matches.get(i))
    if ('error' in picked) {
      errors.push({ line: input.line, field: 'name', message: picked.error })
      return
    }
    const keys = [
      picked.id ? `id:${picked.id}` : `name:${input.name}`,
      ...Object.entries(input.ext).map(([p, x]) => `ext:${p}:${x}`),
    ]
    const earlier = keys.map((k) => seen.get(k)).find((line) => line !== undefined)
    if (earlier !== undefined) {
      errors.push({ line: input.line, field: 'name', message: `is the same customer as line ${earlier}` })
      return
    }
    for (const k of keys) seen.set(k, input.line)
    if (picked.id) updates.push({ ...input, id: picked.id })
    else inserts.push({ ...input, id: '' }) // the database chooses it: read back below
  })
  if (errors.length > 0) return { errors }

  const updated = await updateCustomers(
    tx,
    updates.map((input) => ({
      id: input.id,
      name: input.name,
      phase: input.phase,
      ...ownerOf(input),
      ...input.deal,
    })),
    { orgId, skipUnchanged: true },
  )
  // A chunk's new customers have distinct names (checked above), as createCustomers needs.
  const created = await createCustomers(
    tx,
    orgId,
    inserts.map((input) => ({ name: input.name, phase: input.phase, ...ownerOf(input), ...input.deal })),
  )
  created.forEach((row, i) => {
    ;(inserts[i] as CustomerInput & { id: string }).id = row.id
  })
  await linkExternalIds(
    tx,
    orgId,
    [...updates, ...inserts].flatMap((input) =>
      Object.entries(input.ext).map(([provider, externalId]) => ({
        customerId: input.id,
        provider,
        externalId,
      })),
    ),
  )
  return { created: inserts.length, updated: updated.length, unchanged: updates.length - updated.length }
}

/** Without an owner column the customer keeps its owner (a new one is the importer's). */
const ownerOf = (input: CustomerInput) => (input.ownerGiven ? { ownerId: input.ownerId } : {})
