import type { Database, Queryable } from '../../functions/db/database.ts'
import { dropSecondaryIndexes, recreateIndexes } from './deferred-indexes.ts'
import { type AnyRowBatch, generateSeed, type SeedPlan, seedMarkers } from './generate.ts'
import {
  activities,
  type ColumnType,
  columnNames,
  contacts,
  customerExternalIds,
  customers,
  documents,
  notifications,
  processes,
  services,
  type TableSpec,
  tasks,
  teams,
  timelineEvents,
} from './tables.ts'

/** The tables that grow with --scale. */
const bulkTables = [
  customers.name,
  contacts.name,
  teams.name,
  processes.name,
  services.name,
  documents.name,
  customerExternalIds.name,
  timelineEvents.name,
  tasks.name,
  activities.name,
  notifications.name,
]

export type SeedResult =
  | { status: 'already-seeded' }
  | { status: 'seeded'; rows: Record<string, number>; milliseconds: number }

/** Rows per insert statement: big enough to amortise the round trip, small enough to stay in memory. */
const rowsPerStatement = 5_000

/**
 * Loads the demo data in one transaction, as the connecting role (the
 * superuser, which bypasses RLS). Does nothing when the demo organizations or
 * users exist already, so a second run keeps whatever people changed since.
 */
export async function seedDatabase(
  db: Database,
  plan: SeedPlan,
  log: (line: string) => void = () => {},
): Promise<SeedResult> {
  if (await isSeeded(db)) return { status: 'already-seeded' }
  const started = performance.now()
  const seed = generateSeed(plan)
  const rows: Record<string, number> = {}
  let customers = 0
  const large = plan.customers >= 10_000
  await db.transaction(async (tx) => {
    for (const batch of seed.accounts) {
      await run(tx, insertStatements(batch))
      rows[batch.table.name] = batch.rows.length
    }
    // Triggers off from here to the commit: `replica` skips ordinary triggers
    // (and the foreign-key checks, which are triggers too) in Postgres 15, 17
    // and PGlite alike, and is allowed for Supabase's postgres role (supautils).
    // Why: the timeline triggers stamp every event `now()` with no actor, and
    // would write customer_created and document_added once per row, so they
    // could only say "everything happened just now". We write the whole
    // history ourselves (creation, phase and status changes, documents, notes)
    // with the moments and people the generator chose. The generator keeps
    // every reference inside its tenant, and the tests check the foreign keys
    // hold, since the database does not check them during this load.
    await tx.execScript('set local session_replication_role = replica')
    const indexes = await dropSecondaryIndexes(tx, bulkTables)
    // One batch in the database while the next is generated: on a server the
    // two run on different processes (PGlite shares our thread, so it gains nothing).
    let inFlight: Promise<void> = Promise.resolve()
    for (const batch of seed.data()) {
      const statements = insertStatements(batch)
      const previous = inFlight
      inFlight = previous.then(() => run(tx, statements))
      inFlight.catch(() => {}) // awaited below; this only keeps a failure from counting as unhandled
      await previous
      rows[batch.table.name] = (rows[batch.table.name] ?? 0) + batch.rows.length
      if (batch.table.name === 'public.customers') {
        customers += batch.rows.length
        if (large && customers % 10_000 < batch.rows.length) {
          log(`  ${customers.toLocaleString('en')} / ${plan.customers.toLocaleString('en')} customers`)
        }
      }
    }
    await inFlight
    if (large) log(`  building ${indexes.length} indexes`)
    await recreateIndexes(tx, indexes)
  })
  return { status: 'seeded', rows, milliseconds: Math.round(performance.now() - started) }
}

export async function isSeeded(db: Queryable): Promise<boolean> {
  const markers = seedMarkers()
  const [row] = await db.query<{ seeded: boolean }>(
    `select exists (select from public.organizations where id = any($1::text[]::uuid[]))
         or exists (select from auth.users where id = any($2::text[]::uuid[]) or email = any($3::text[])) as seeded`,
    [markers.organizationIds, markers.userIds, markers.emails],
  )
  return row?.seeded === true
}

interface Statement {
  text: string
  params: (string | null)[][]
}

/** The batch as insert statements with their parameters, built before it is its turn to run. */
function insertStatements(batch: AnyRowBatch): Statement[] {
  const columns = columnNames(batch.table)
  const types = batch.table.columns as Record<string, ColumnType>
  const text = insertStatementText(batch.table)
  const statements: Statement[] = []
  for (let start = 0; start < batch.rows.length; start += rowsPerStatement) {
    const slice = batch.rows.slice(start, start + rowsPerStatement) as Record<string, unknown>[]
    const params = columns.map((column) =>
      slice.map((row) => toText(row[column], types[column] as ColumnType)),
    )
    statements.push({ text, params })
  }
  return statements
}

async function run(tx: Queryable, statements: Statement[]): Promise<void> {
  for (const { text, params } of statements) await tx.query(text, params)
}

const statementTexts = new Map<string, string>()

/**
 * `insert … select … from unnest($1::text[], …)`: one statement and one round
 * trip per few thousand rows, the same text every time (prepared once). Every
 * column travels as text and is cast in SQL, so neither driver has to know our
 * enum array types.
 */
function insertStatementText(spec: TableSpec<object>): string {
  const cached = statementTexts.get(spec.name)
  if (cached) return cached
  const columns = columnNames(spec)
  const types = spec.columns as Record<string, ColumnType>
  const arrays = columns.map((_, n) => `$${n + 1}::text[]`).join(', ')
  const values = columns.map((c) => castFromText(`u."${c}"`, types[c] as ColumnType)).join(', ')
  const sql =
    `insert into ${spec.name} (${columns.map((c) => `"${c}"`).join(', ')}) ` +
    `select ${values} from unnest(${arrays}) as u(${columns.map((c) => `"${c}"`).join(', ')})`
  statementTexts.set(spec.name, sql)
  return sql
}

function castFromText(expression: string, type: ColumnType): string {
  switch (type) {
    case 'text':
      return expression
    case 'ago':
      return `now() - make_interval(secs => ${expression}::float8)`
    case 'day':
      return `current_date + ${expression}::integer`
    default:
      return `${expression}::${type}`
  }
}

function toText(value: unknown, type: ColumnType): string | null {
  if (value === null || value === undefined) return null
  if (type === 'jsonb') return JSON.stringify(value)
  return String(value)
}
