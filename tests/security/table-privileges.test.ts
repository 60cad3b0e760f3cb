import { beforeAll, describe, expect, it } from 'vitest'
import type { Transaction } from '../../functions/db/database.ts'
import { dbErrorOf } from '../rls/expect-db-error.ts'
import { type Actor, useWorld } from '../rls/matrix.ts'

/**
 * What TRUNCATE, TRIGGER and REFERENCES would hand anyone who reaches SQL as
 * `anon` or `authenticated`. PostgREST never sends these statements, but the
 * database is the boundary, so they must fail on their own:
 * - TRUNCATE empties a table past RLS, every tenant at once;
 * - TRIGGER attaches a function to every tenant's writes;
 * - REFERENCES lets a foreign key of one's own look up (and lock) rows RLS
 *   hides: the key check runs as the referenced table's owner. (Today the
 *   roles may create no table to hold one: a second lock, not the only one.)
 * The tables are read from the catalogue: every table in every schema the API
 * roles may use, so a new table is tried without anyone listing it.
 */
const w = useWorld()

interface Table {
  name: string
  schema: string
  /** Whether anon may use the table's schema (if not, that is what refuses anon first). */
  anonSchema: boolean
  /** The primary key's columns and their types, for a foreign key to it. */
  key: { column: string; type: string }[]
}

let tables: Table[] = []

beforeAll(async () => {
  const rows = await w.t.db.query<Omit<Table, 'key'> & { key: Table['key'] | null }>(
    `select c.oid::regclass::text as name, n.nspname as schema,
            has_schema_privilege('anon', n.oid, 'usage') as "anonSchema",
            (select json_agg(json_build_object('column', a.attname, 'type', format_type(a.atttypid, a.atttypmod))
                             order by k.ord)
             from pg_index i
             cross join unnest(i.indkey) with ordinality k (attnum, ord)
             join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
             where i.indrelid = c.oid and i.indisprimary) as key
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where c.relkind in ('r', 'p') and not c.relispartition
       and n.nspname not in ('pg_catalog', 'information_schema')
       and (has_schema_privilege('authenticated', n.oid, 'usage') or has_schema_privilege('anon', n.oid, 'usage'))
     order by 1`,
  )
  tables = rows.map((row) => ({ ...row, key: row.key ?? [] }))
})

/** The outcome of `sql` for each table, run as `actor` in its own rolled-back transaction. */
async function outcomes(actor: Actor, sql: (table: Table) => string | undefined, setUp?: string) {
  const result: Record<string, string> = {}
  for (const table of tables) {
    const statement = sql(table)
    if (!statement) continue
    result[table.name] = await attempt(actor, statement, setUp)
  }
  return result
}

async function attempt(actor: Actor, statement: string, setUp?: string): Promise<string> {
  const run = async (tx: Transaction) => {
    await tx.query(statement)
    return 'succeeded'
  }
  try {
    if (!setUp) return await w.as(actor, run)
    // Objects only the superuser may create, made in the same transaction before becoming the actor.
    return await w.asSuperuser(async (tx) => {
      await tx.execScript(setUp)
      await tx.query(
        `select set_config('role', 'authenticated', true),
                             set_config('request.jwt.claims', $1, true)`,
        [JSON.stringify({ sub: w.idOf(actor), role: 'authenticated' })],
      )
      return run(tx)
    })
  } catch (error) {
    const e = dbErrorOf(error)
    return `${e.code} ${e.message}`
  }
}

/** `permission denied` for every table (for anon, its schema's where anon may not use it): the only acceptable outcome. */
const deniedEverywhere = (actor: Actor, filter: (table: Table) => boolean = () => true) =>
  Object.fromEntries(
    tables
      .filter(filter)
      .map((t) => [
        t.name,
        actor === 'anon' && !t.anonSchema
          ? `42501 permission denied for schema ${t.schema}`
          : `42501 permission denied for table ${t.name.replace(/^.*\./, '')}`,
      ]),
  )

describe('table privileges the API roles must not hold', () => {
  it('should find the tables of the exposed and private schemas in the catalogue', () => {
    const names = tables.map((t) => t.name)
    expect(names).toEqual(
      expect.arrayContaining(['customers', 'timeline_events', 'private.integration_secrets']),
    )
  })

  for (const actor of ['rep', 'owner', 'anon'] as const)
    it(`should refuse ${actor} TRUNCATE on every table (it ignores RLS)`, async () => {
      expect(await outcomes(actor, (t) => `truncate table ${t.name} cascade`)).toEqual(
        deniedEverywhere(actor),
      )
    })

  it('should refuse a signed-in user a trigger of their own on any table', async () => {
    // A trigger function the user may execute, so only the table privilege can stop them.
    const setUp = `
      create function public.zz_probe() returns trigger language plpgsql as 'begin return new; end';
      grant execute on function public.zz_probe() to authenticated`
    expect(
      await outcomes(
        'rep',
        (t) =>
          `create trigger zz_probe before insert on ${t.name} for each row execute function public.zz_probe()`,
        setUp,
      ),
    ).toEqual(deniedEverywhere('rep'))
  })

  it('should refuse a signed-in user a foreign key to any table (it would look up rows RLS hides)', async () => {
    // A temporary table may not reference a permanent one, so give the user somewhere to create
    // a table of their own: then only the REFERENCES privilege can stop them.
    const hasKey = (t: Table) => t.key.length > 0
    expect(
      await outcomes(
        'rep',
        (t) => {
          if (!hasKey(t)) return undefined
          const columns = t.key.map((k, i) => `k${i} ${k.type}`).join(', ')
          const refs = t.key.map((_, i) => `k${i}`).join(', ')
          const keys = t.key.map((k) => `"${k.column}"`).join(', ')
          return `create table private.zz_probe (${columns}, foreign key (${refs}) references ${t.name} (${keys}))`
        },
        'grant create on schema private to authenticated',
      ),
    ).toEqual(deniedEverywhere('rep', hasKey))
  })
})
