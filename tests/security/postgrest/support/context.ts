import { afterAll, beforeAll } from 'vitest'
import { exposedSchemas, type Relation, relationsOf } from './catalogue.ts'
import { checksumSql, tenantOf } from './tenancy.ts'
import { type AttackWorld, createAttackWorld } from './world.ts'

/** A row of the fixture as the superuser sees it. */
export interface KnownRow {
  tenant: string
  /** The primary key's values (or the whole row when there is none), as JSON. */
  key: string
  row: Record<string, unknown>
}

export interface Suite {
  w: AttackWorld
  /** Every table and view PostgREST exposes. */
  relations: Relation[]
  /** Every table of ours whose rows the checksums follow (exposed or not). */
  checksumQuery: string
  /** Constraint and unique index names per table, to tell a guard from a malformed value. */
  constraints: Map<string, Set<string>>
  /** The fixture's rows per exposed relation. */
  rows: Map<string, KnownRow[]>
  /** Tallies of what was tried, printed when the file ends. */
  tally: Map<string, number>
  count(what: string, n?: number): void
}

export function keyOf(relation: Relation, row: Record<string, unknown>): string {
  const columns = relation.primaryKey.length ? relation.primaryKey : relation.columns.map((c) => c.name)
  return JSON.stringify(columns.map((column) => row[column] ?? null))
}

/**
 * The attack world and the catalogue, for one test file. `plant` is DDL run
 * as the superuser before the catalogue is read: a hole planted on purpose,
 * to prove an attack finds it.
 */
export function useSuite(title: string, options: { plant?: string } = {}): Suite {
  const suite = { tally: new Map<string, number>() } as Suite
  suite.count = (what, n = 1) => suite.tally.set(what, (suite.tally.get(what) ?? 0) + n)
  beforeAll(async () => {
    const w = await createAttackWorld()
    if (options.plant) await w.db.execScript(options.plant)
    const relations = await relationsOf(w.db, exposedSchemas())
    const ours = await relationsOf(w.db, ['public', 'private'])
    const constraints = new Map<string, Set<string>>()
    for (const row of await w.db.query<{ relation: string; name: string }>(
      `select format('%s.%s', n.nspname, c.relname) as relation, con.conname as name
       from pg_constraint con join pg_class c on c.oid = con.conrelid join pg_namespace n on n.oid = c.relnamespace
       union all
       select format('%s.%s', n.nspname, c.relname), i.relname
       from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class c on c.oid = x.indrelid
       join pg_namespace n on n.oid = c.relnamespace where x.indisunique`,
    )) {
      const set = constraints.get(row.relation) ?? new Set<string>()
      set.add(row.name)
      constraints.set(row.relation, set)
    }
    const rows = new Map<string, KnownRow[]>()
    for (const relation of relations) {
      const found = await w.db.query<{ tenant: string; row: Record<string, unknown> }>(
        `select ${tenantOf(relation)} as tenant, to_jsonb(x) as row from ${relation.name} x`,
      )
      rows.set(
        relation.name,
        found.map((r) => ({ tenant: r.tenant, key: keyOf(relation, r.row), row: r.row })),
      )
    }
    Object.assign(suite, {
      w,
      relations,
      checksumQuery: checksumSql(ours.filter((r) => r.kind === 'table')),
      constraints,
      rows,
    })
  })
  afterAll(async () => {
    if (suite.tally.size)
      console.log(
        `${title}: ${[...suite.tally].map(([what, n]) => `${what} ${n.toLocaleString('en')}`).join(', ')}`,
      )
    await suite.w?.t.close()
  })
  return suite
}
