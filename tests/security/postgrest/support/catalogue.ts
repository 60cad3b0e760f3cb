import { readFileSync } from 'node:fs'
import type { Queryable } from '../../../../functions/db/database.ts'

/**
 * What PostgREST (and pg_graphql) would expose, read from the database's own
 * catalogue rather than listed by hand: a table, view or column added later
 * is attacked by these suites the moment it exists.
 */

export interface Column {
  name: string
  /** `format_type`, e.g. `uuid`, `timestamp with time zone`, `public.customer_phase`. */
  type: string
  /** pg_type.typcategory: S string, N numeric, D date/time, B boolean, E enum, U user (uuid, jsonb), A array. */
  category: string
  /** For enums, their labels in order. */
  labels: string[]
  notNull: boolean
  hasDefault: boolean
  /** Generated or identity: the database writes it, a client cannot. */
  generated: boolean
}

export interface ForeignKey {
  name: string
  columns: string[]
  /** schema-qualified */
  refTable: string
  refColumns: string[]
}

export interface Relation {
  /** schema-qualified, e.g. `public.customers` */
  name: string
  kind: 'table' | 'view'
  columns: Column[]
  primaryKey: string[]
  uniques: string[][]
  foreignKeys: ForeignKey[]
}

/** The schemas the API gateway exposes, from supabase/config.toml ([api] schemas), as on Supabase. */
export function exposedSchemas(): string[] {
  const config = readFileSync(new URL('../../../../supabase/config.toml', import.meta.url), 'utf8')
  const api = /\[api\][^[]*?\nschemas\s*=\s*\[([^\]]*)\]/.exec(config)
  if (!api?.[1]) throw new Error('supabase/config.toml: no [api] schemas')
  return [...api[1].matchAll(/"([^"]+)"/g)].map((m) => m[1] as string)
}

/** Tables and views of `schemas`, with their columns and keys (nothing an extension owns). */
export async function relationsOf(db: Queryable, schemas: string[]): Promise<Relation[]> {
  const rows = await db.query<{
    name: string
    kind: string
    columns: Column[]
    primary_key: string[] | null
    uniques: string[][] | null
    foreign_keys: ForeignKey[] | null
  }>(
    `select format('%s.%s', n.nspname, c.relname) as name,
            case when c.relkind in ('v', 'm') then 'view' else 'table' end as kind,
            (select jsonb_agg(jsonb_build_object(
                      'name', a.attname,
                      'type', format_type(a.atttypid, a.atttypmod),
                      'category', t.typcategory::text,
                      'labels', coalesce((select jsonb_agg(e.enumlabel order by e.enumsortorder)
                                          from pg_enum e where e.enumtypid = a.atttypid), '[]'::jsonb),
                      'notNull', a.attnotnull,
                      'hasDefault', a.atthasdef,
                      'generated', a.attgenerated <> '' or a.attidentity <> '')
                    order by a.attnum)
             from pg_attribute a join pg_type t on t.oid = a.atttypid
             where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped) as columns,
            (select jsonb_agg(a.attname order by k.ord)
             from pg_constraint con
             cross join unnest(con.conkey) with ordinality k (attnum, ord)
             join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum
             where con.conrelid = c.oid and con.contype = 'p') as primary_key,
            (select jsonb_agg((select jsonb_agg(a.attname order by k.ord)
                               from unnest(i.indkey::int2[]) with ordinality k (attnum, ord)
                               join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum))
             from pg_index i
             where i.indrelid = c.oid and i.indisunique and not i.indisprimary
               and not (0 = any (i.indkey::int2[]))) as uniques,
            (select jsonb_agg(jsonb_build_object(
                      'name', con.conname,
                      'columns', (select jsonb_agg(a.attname order by k.ord)
                                  from unnest(con.conkey) with ordinality k (attnum, ord)
                                  join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum),
                      'refTable', format('%s.%s', rn.nspname, rc.relname),
                      'refColumns', (select jsonb_agg(a.attname order by k.ord)
                                     from unnest(con.confkey) with ordinality k (attnum, ord)
                                     join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.attnum)))
             from pg_constraint con
             join pg_class rc on rc.oid = con.confrelid
             join pg_namespace rn on rn.oid = rc.relnamespace
             where con.conrelid = c.oid and con.contype = 'f') as foreign_keys
     from pg_class c
     join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = any ($1::text[]) and c.relkind in ('r', 'p', 'v', 'm')
       and not exists (select from pg_depend d
                       where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
     order by 1`,
    [schemas],
  )
  return rows.map((row) => ({
    name: row.name,
    kind: row.kind as Relation['kind'],
    columns: row.columns,
    primaryKey: row.primary_key ?? [],
    uniques: row.uniques ?? [],
    foreignKeys: row.foreign_keys ?? [],
  }))
}

export interface CallableFunction {
  /** schema-qualified name */
  name: string
  /** `p_org_id uuid, p_from date` */
  signature: string
  args: { name: string; type: string; category: string; labels: string[] }[]
  returnType: string
  returnsSet: boolean
  securityDefiner: boolean
  anon: boolean
  authenticated: boolean
}

/**
 * Every function `anon` or `authenticated` may execute, in any schema that is
 * not Postgres's own, except those an extension owns and trigger functions
 * (which cannot be called). Through PostgREST only the exposed schemas'
 * functions are reachable as `/rpc/…`; the others run inside policies and
 * triggers with the caller's arguments, so they are attacked all the same.
 */
export async function callableFunctions(db: Queryable): Promise<CallableFunction[]> {
  return db.query<CallableFunction>(
    `select format('%s.%s', n.nspname, p.proname) as name,
            pg_get_function_identity_arguments(p.oid) as signature,
            coalesce((select jsonb_agg(jsonb_build_object(
                        'name', coalesce(p.proargnames[k.ord], '$' || k.ord),
                        'type', format_type(k.t, null),
                        'category', t.typcategory::text,
                        'labels', coalesce((select jsonb_agg(e.enumlabel order by e.enumsortorder)
                                            from pg_enum e where e.enumtypid = k.t), '[]'::jsonb))
                      order by k.ord)
                      from unnest(p.proargtypes::oid[]) with ordinality k (t, ord)
                      join pg_type t on t.oid = k.t), '[]'::jsonb) as args,
            format_type(p.prorettype, null) as "returnType",
            p.proretset as "returnsSet",
            p.prosecdef as "securityDefiner",
            has_function_privilege('anon', p.oid, 'execute') as anon,
            has_function_privilege('authenticated', p.oid, 'execute') as authenticated
     from pg_proc p
     join pg_namespace n on n.oid = p.pronamespace
     where n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_%'
       and p.prokind = 'f'
       and p.prorettype <> 'trigger'::regtype
       and p.prorettype <> 'event_trigger'::regtype
       and not exists (select from pg_depend d
                       where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
       and (has_function_privilege('anon', p.oid, 'execute')
            or has_function_privilege('authenticated', p.oid, 'execute'))
     order by 1, 2`,
  )
}

/** Every base table of ours (public and private, as far as tenancy goes): what checksums cover. */
export async function ownTables(db: Queryable): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    `select format('%s.%s', n.nspname, c.relname) as name
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname in ('public', 'private') and c.relkind in ('r', 'p')
     order by 1`,
  )
  return rows.map((row) => row.name)
}
