import type { Transaction } from '../db/database.ts'
import { CustomerCreate } from '../routes/customers/customers.schemas.ts'
import { externalIdsOf, lookupCustomers, pickCustomer } from './customer-lookup.ts'
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
} from './import-report.ts'
import type { SourceRow } from './source.ts'

const fields = new Set(['name', 'phase', 'owner_id', 'owner_email', 'external_id', 'provider'])

/** The fields a customers file may fill; `external_id.<provider>` columns too. */
export const acceptsCustomerField = (field: string) => fields.has(field) || field.startsWith('external_id.')

interface CustomerInput {
  line: number
  name: string
  phase: string | undefined
  /** Whether the file says who owns it (an empty owner cell unassigns). */
  ownerGiven: boolean
  ownerId: string | null
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
  const parsed = CustomerCreate.safeParse({
    name: f.name ?? '',
    ...(cellOrNull(f.phase) ? { phase: cellOrNull(f.phase) } : {}),
    ...(ownerGiven ? { owner_id: ownerId ?? null } : {}),
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
  const matches = await lookupCustomers(
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

  const updated = await tx.query(
    `update public.customers c
     set name = r.name,
         phase = coalesce(r.phase::public.customer_phase, c.phase),
         owner_id = case when r.owner_given then r.owner_id else c.owner_id end
     from jsonb_to_recordset($2::jsonb) as r(id uuid, name text, phase text, owner_given boolean, owner_id uuid)
     -- The org compared as text: a filter, never an index condition, so the plan is a primary key
     -- lookup per row (with the org's index it scanned the whole organization for each chunk).
     where c.id = r.id and c.org_id::text = $1
       and (c.name, c.phase, c.owner_id) is distinct from
           (r.name, coalesce(r.phase::public.customer_phase, c.phase),
            case when r.owner_given then r.owner_id else c.owner_id end)
     returning c.id`,
    [orgId, JSON.stringify(updates.map(recordOf))],
  )
  if (inserts.length > 0) {
    // A signed-in user's new row gets its id from the database; a chunk's new customers
    // have distinct names (checked above), so each id comes back by its name.
    const created = await tx.query<{ id: string; name: string }>(
      `insert into public.customers (org_id, name, phase, owner_id)
       select $1, r.name, coalesce(r.phase::public.customer_phase, 'lead'),
              case when r.owner_given then r.owner_id else auth.uid() end
       from jsonb_to_recordset($2::jsonb) as r(name text, phase text, owner_given boolean, owner_id uuid)
       returning id, name`,
      [orgId, JSON.stringify(inserts.map(recordOf))],
    )
    const idByName = new Map(created.map((row) => [row.name, row.id]))
    for (const input of inserts) input.id = idByName.get(input.name) ?? input.id
  }
  const linksOf = (inputs: (CustomerInput & { id: string })[]) =>
    JSON.stringify(
      inputs.flatMap((input) =>
        Object.entries(input.ext).map(([provider, external_id]) => ({
          customer_id: input.id,
          provider,
          external_id,
        })),
      ),
    )
  const recordset = 'jsonb_to_recordset($2::jsonb) as l(customer_id uuid, provider text, external_id text)'
  if (updates.some((u) => Object.keys(u.ext).length > 0))
    // No update policy on external ids (a link is made or removed): another id of the provider is unlinked first.
    // By (customer_id, provider), its unique index; the org compared as text so the planner cannot pick
    // the (org_id, …) primary key instead and scan the whole organization per chunk.
    await tx.query(
      `delete from public.customer_external_ids e using ${recordset}
       where e.customer_id = l.customer_id and e.provider = l.provider and e.external_id <> l.external_id
         and e.org_id::text = $1`,
      [orgId, linksOf(updates)],
    )
  const allLinks = [...updates, ...inserts].filter((input) => Object.keys(input.ext).length > 0)
  if (allLinks.length > 0)
    await tx.query(
      `insert into public.customer_external_ids (org_id, customer_id, provider, external_id)
       select $1, l.customer_id, l.provider, l.external_id from ${recordset}
       on conflict do nothing`,
      [orgId, linksOf(allLinks)],
    )
  return { created: inserts.length, updated: updated.length, unchanged: updates.length - updated.length }
}

const recordOf = (input: CustomerInput & { id: string }) => ({
  id: input.id,
  name: input.name,
  phase: input.phase ?? null,
  owner_given: input.ownerGiven,
  owner_id: input.ownerId,
})
