import { type AnyRowBatch, DEFAULT_CUSTOMERS, generateSeed, type SeedPlan } from './generate.ts'
import { DEMO_ORGANIZATION_COUNT } from './generated-organizations.ts'
import { type ColumnType, columnNames } from './tables.ts'

/** Where the Supabase CLI looks for seed data after `supabase db reset`. */
export const seedSqlPath = new URL('../../supabase/seed.sql', import.meta.url).pathname

/** Rows per insert statement: keeps each statement readable in a diff and quick to parse. */
const rowsPerStatement = 250

/**
 * The demo data as one plain SQL script, for people on real Supabase: the same
 * generator as `npm run db:seed`, at its default scale. Byte-for-byte the same
 * on every run (timestamps are written relative to `now()`), so a test can
 * tell when the committed file is out of date.
 */
export function renderSeedSql(plan: SeedPlan = { customers: DEFAULT_CUSTOMERS }): string {
  const seed = generateSeed(plan)
  const parts = [
    header(plan),
    '-- Users first, with triggers on: the trigger on auth.users creates each public.users profile.',
    ...seed.accounts.flatMap(insertStatements),
    [
      '-- Triggers off for the rest of the script: the timeline triggers would stamp every event now()',
      '-- with no actor; this file carries the whole history instead (see scripts/seed/load.ts).',
      '-- Supabase lets its postgres role set this (supautils); the foreign keys are not checked',
      '-- while it is on, and the generator keeps them (tests check it).',
      'set session_replication_role = replica;',
    ].join('\n'),
    ...[...seed.data()].flatMap(insertStatements),
    'reset session_replication_role;',
  ]
  return `${parts.join('\n\n')}\n`
}

function header(plan: SeedPlan): string {
  const organizations = plan.organizations ?? DEMO_ORGANIZATION_COUNT
  const options = [
    plan.customers === DEFAULT_CUSTOMERS ? '' : ` --scale ${plan.customers}`,
    organizations === DEMO_ORGANIZATION_COUNT ? '' : ` --organizations ${organizations}`,
  ].join('')
  const orgs = organizations === DEMO_ORGANIZATION_COUNT ? 'three' : String(organizations)
  return [
    '-- GENERATED FILE: do not edit. Regenerate with',
    `--   npm run db:seed -- --write-sql supabase/seed.sql${options}`,
    '-- from scripts/seed/ (a test fails when this file is out of date).',
    '--',
    `-- Demo data for \`supabase db reset\`: ${plan.customers} customers in ${orgs} organizations,`,
    '-- their contacts, teams, processes, services, documents, CRM ids, tasks, activities and',
    '-- timeline, deal values and rates, and demo',
    '-- accounts that sign in with the password `demo-password` (list in docs/seed.md).',
    '-- Timestamps are relative to now(), so the data looks recent whenever it is loaded.',
    '-- Meant for an empty, freshly migrated database.',
  ].join('\n')
}

function insertStatements(batch: AnyRowBatch): string[] {
  const columns = columnNames(batch.table)
  const types = batch.table.columns as Record<string, ColumnType>
  const statements: string[] = []
  for (let start = 0; start < batch.rows.length; start += rowsPerStatement) {
    const rows = (batch.rows.slice(start, start + rowsPerStatement) as Record<string, unknown>[]).map(
      (row) => `  (${columns.map((c) => literal(row[c], types[c] as ColumnType)).join(', ')})`,
    )
    statements.push(`insert into ${batch.table.name} (${columns.join(', ')}) values\n${rows.join(',\n')};`)
  }
  return statements
}

function literal(value: unknown, type: ColumnType): string {
  if (value === null || value === undefined) return 'null'
  switch (type) {
    case 'ago':
      return `now() - interval '${Number(value)} seconds'`
    case 'day':
      return `current_date + ${Number(value)}`
    case 'bigint':
    case 'smallint':
    case 'integer':
    case 'numeric':
      return String(value)
    case 'jsonb':
      return quote(JSON.stringify(value))
    default:
      return quote(String(value))
  }
}

/** A standard SQL string literal (standard_conforming_strings is on everywhere we run). */
const quote = (text: string) => `'${text.replace(/'/g, "''")}'`
