import type { Database } from '../../../functions/db/database.ts'

/**
 * What supabase/schema.sql is rendered from: the catalogue of one database,
 * read with an empty search_path so every deparsed name is schema-qualified
 * whatever the session's path. Names arrive quoted where SQL needs it; no OID
 * leaves this file.
 */
export interface Catalogue {
  /** The role that ran the migrations: owner of what they created, so never named as one. */
  role: string
  schemas: SchemaInfo[]
  extensions: ExtensionInfo[]
  types: TypeInfo[]
  relations: RelationInfo[]
  functions: FunctionInfo[]
  defaultPrivileges: DefaultPrivilegeInfo[]
}

/** One privilege one role holds: `grantee`, `privilege` (SELECT, EXECUTE…), grantable. */
export interface AclEntry {
  grantee: string
  privilege: string
  grantable: boolean
}

interface Owned {
  /** `schema.name` (quoted where needed), or `schema.name(args)` for a function: unique per kind. */
  key: string
  owner: string
  comment: string | null
  /** The privileges as they are, and as Postgres gives a new object of this kind by itself. */
  acl: AclEntry[]
  builtInAcl: AclEntry[]
}

export interface SchemaInfo extends Owned {}

export interface ExtensionInfo {
  key: string
  schema: string
  version: string
}

export interface TypeInfo extends Owned {
  kind: 'enum' | 'domain' | 'composite' | 'range'
  /** The body after `CREATE TYPE x` / `CREATE DOMAIN x`. */
  definition: string
}

export interface ColumnInfo {
  name: string
  definition: string
  comment: string | null
  acl: AclEntry[]
}

export interface RelationInfo extends Owned {
  kind: 'table' | 'view' | 'materialized view' | 'foreign table' | 'sequence'
  rls: boolean
  forceRls: boolean
  options: string[]
  /** Views: the query. Standalone sequences: their options. */
  body: string | null
  columns: ColumnInfo[]
  constraints: { name: string; definition: string }[]
  indexes: { name: string; definition: string }[]
  policies: { name: string; definition: string }[]
  triggers: { name: string; definition: string; enabled: string }[]
  /** Sequences that belong to a column (identity, serial): their privileges go with the table. */
  ownedSequences: { key: string; acl: AclEntry[]; builtInAcl: AclEntry[] }[]
}

export interface FunctionInfo extends Owned {
  kind: 'FUNCTION' | 'PROCEDURE' | 'AGGREGATE'
  definition: string
}

export interface DefaultPrivilegeInfo {
  /** role, schema ('' for all schemas) and object type: one row of pg_default_acl. */
  key: string
  role: string
  schema: string | null
  objects: 'TABLES' | 'SEQUENCES' | 'FUNCTIONS' | 'TYPES' | 'SCHEMAS'
  acl: AclEntry[]
  /** What the row adds to or takes from: Postgres's built-in default for all schemas, nothing for one. */
  builtInAcl: AclEntry[]
}

/** Postgres's schemas, not anyone's project. */
const notPostgres = (nsp: string) => `
  ${nsp}.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
  and ${nsp}.nspname not like 'pg\\_temp\\_%' and ${nsp}.nspname not like 'pg\\_toast\\_temp\\_%'`

/** Not created by `create extension` (the extension stands for those). */
const notFromExtension = (catalog: string, oid: string) => `
  not exists (select from pg_depend d
              where d.classid = '${catalog}'::regclass and d.objid = ${oid} and d.deptype = 'e')`

/** An aclitem[] as lines `grantee<TAB>PRIVILEGE<TAB>t|f` (arrays and JSON parse differently per driver). */
const aclLines = (acl: string) => `
  (select string_agg(case when a.grantee = 0 then 'PUBLIC' else quote_ident(pg_get_userbyid(a.grantee)) end
                     || E'\\t' || a.privilege_type || E'\\t' || a.is_grantable::text, E'\\n')
   from aclexplode(${acl}) a)`

const qualified = (nsp: string, name: string) => `quote_ident(${nsp}.nspname) || '.' || quote_ident(${name})`

const sql = {
  schemas: `
    select quote_ident(n.nspname) as key, quote_ident(pg_get_userbyid(n.nspowner)) as owner,
           obj_description(n.oid, 'pg_namespace') as comment,
           ${aclLines("coalesce(n.nspacl, acldefault('n', n.nspowner))")} as acl,
           ${aclLines("acldefault('n', n.nspowner)")} as built_in_acl
    from pg_namespace n
    where ${notPostgres('n')} and ${notFromExtension('pg_namespace', 'n.oid')}`,

  extensions: `
    select quote_ident(e.extname) as key, quote_ident(n.nspname) as schema, e.extversion as version
    from pg_extension e join pg_namespace n on n.oid = e.extnamespace
    where e.extname <> 'plpgsql'`,

  types: `
    select ${qualified('n', 't.typname')} as key, quote_ident(pg_get_userbyid(t.typowner)) as owner,
           obj_description(t.oid, 'pg_type') as comment,
           ${aclLines("coalesce(t.typacl, acldefault('T', t.typowner))")} as acl,
           ${aclLines("acldefault('T', t.typowner)")} as built_in_acl,
           case t.typtype when 'e' then 'enum' when 'd' then 'domain' when 'c' then 'composite' else 'range' end
             as kind,
           case t.typtype
             when 'e' then 'AS ENUM (' || (select string_agg(quote_literal(e.enumlabel), ', '
                                                              order by e.enumsortorder)
                                           from pg_enum e where e.enumtypid = t.oid) || ')'
             when 'd' then 'AS ' || format_type(t.typbasetype, t.typtypmod)
                           || case when t.typcollation <> bt.typcollation
                                   then ' COLLATE ' || quote_ident(co.collname) else '' end
                           || coalesce(' DEFAULT ' || t.typdefault, '')
                           || case when t.typnotnull then ' NOT NULL' else '' end
                           || coalesce((select string_agg(E'\\n  CONSTRAINT ' || quote_ident(con.conname) || ' '
                                                          || pg_get_constraintdef(con.oid, true), ''
                                                          order by con.conname)
                                        from pg_constraint con
                                        where con.contypid = t.oid and con.contype = 'c'), '')
             when 'c' then 'AS (' || (select string_agg(E'\\n  ' || quote_ident(a.attname) || ' '
                                                         || format_type(a.atttypid, a.atttypmod), ','
                                                         order by a.attnum)
                                      from pg_attribute a
                                      where a.attrelid = t.typrelid and a.attnum > 0 and not a.attisdropped)
                           || E'\\n)'
             else 'AS RANGE (SUBTYPE = ' || (select format_type(r.rngsubtype, null)
                                             from pg_range r where r.rngtypid = t.oid) || ')'
           end as definition
    from pg_type t
    join pg_namespace n on n.oid = t.typnamespace
    left join pg_type bt on bt.oid = t.typbasetype
    left join pg_collation co on co.oid = t.typcollation
    where ${notPostgres('n')} and t.typtype in ('e', 'd', 'c', 'r')
      and (t.typtype <> 'c' or (select c.relkind from pg_class c where c.oid = t.typrelid) = 'c')
      and ${notFromExtension('pg_type', 't.oid')}`,

  relations: `
    select c.oid::bigint as id, ${qualified('n', 'c.relname')} as key, quote_ident(pg_get_userbyid(c.relowner)) as owner,
           obj_description(c.oid, 'pg_class') as comment,
           ${aclLines(`coalesce(c.relacl, acldefault((case c.relkind when 'S' then 's' else 'r' end)::"char", c.relowner))`)}
             as acl,
           ${aclLines(`acldefault((case c.relkind when 'S' then 's' else 'r' end)::"char", c.relowner)`)} as built_in_acl,
           case c.relkind when 'v' then 'view' when 'm' then 'materialized view' when 'f' then 'foreign table'
                          when 'S' then 'sequence' else 'table' end as kind,
           c.relrowsecurity as rls, c.relforcerowsecurity as force_rls,
           array_to_string(c.reloptions, E'\\n') as options,
           case when c.relkind in ('v', 'm') then pg_get_viewdef(c.oid, true)
                when c.relkind = 'S' then (
                  select 'AS ' || format_type(s.seqtypid, null) || ' START WITH ' || s.seqstart
                         || ' INCREMENT BY ' || s.seqincrement || ' MINVALUE ' || s.seqmin
                         || ' MAXVALUE ' || s.seqmax || ' CACHE ' || s.seqcache
                         || case when s.seqcycle then ' CYCLE' else '' end
                  from pg_sequence s where s.seqrelid = c.oid)
           end as body
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where ${notPostgres('n')} and c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')
      and not (c.relkind = 'S' and exists (select from pg_depend d
                                           where d.classid = 'pg_class'::regclass and d.objid = c.oid
                                             and d.refclassid = 'pg_class'::regclass and d.deptype in ('a', 'i')))
      and ${notFromExtension('pg_class', 'c.oid')}`,

  columns: `
    select a.attrelid::bigint as id, quote_ident(a.attname) as name,
           quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod)
           || case when a.attcollation <> t.typcollation then ' COLLATE ' || quote_ident(co.collname) else '' end
           || case when a.attgenerated = 's'
                   then ' GENERATED ALWAYS AS (' || pg_get_expr(ad.adbin, ad.adrelid, true) || ') STORED'
                   when a.attgenerated = 'v'
                   then ' GENERATED ALWAYS AS (' || pg_get_expr(ad.adbin, ad.adrelid, true) || ') VIRTUAL'
                   else coalesce(' DEFAULT ' || pg_get_expr(ad.adbin, ad.adrelid, true), '') end
           || case a.attidentity when 'a' then ' GENERATED ALWAYS AS IDENTITY'
                                 when 'd' then ' GENERATED BY DEFAULT AS IDENTITY' else '' end
           || case when a.attnotnull then ' NOT NULL' else '' end as definition,
           col_description(a.attrelid, a.attnum) as comment,
           ${aclLines('a.attacl')} as acl
    from pg_attribute a
    join pg_class c on c.oid = a.attrelid
    join pg_namespace n on n.oid = c.relnamespace
    join pg_type t on t.oid = a.atttypid
    left join pg_attrdef ad on ad.adrelid = a.attrelid and ad.adnum = a.attnum
    left join pg_collation co on co.oid = a.attcollation
    where ${notPostgres('n')} and c.relkind in ('r', 'p', 'v', 'm', 'f')
      and a.attnum > 0 and not a.attisdropped
    order by a.attrelid, a.attnum`,

  // Not-null constraints (Postgres 18 lists them here too) are in their columns; constraint triggers with triggers.
  constraints: `
    select con.conrelid::bigint as id, quote_ident(con.conname) as name,
           pg_get_constraintdef(con.oid, true) as definition
    from pg_constraint con
    where con.conrelid <> 0 and con.contype not in ('n', 't')
    order by con.conrelid, position(con.contype in 'pufcx'), con.conname collate "C"`,

  // Indexes that a constraint of their table creates are that constraint.
  indexes: `
    select i.indrelid::bigint as id, quote_ident(ic.relname) as name,
           pg_get_indexdef(i.indexrelid) as definition
    from pg_index i join pg_class ic on ic.oid = i.indexrelid
    where not exists (select from pg_constraint con
                      where con.conindid = i.indexrelid and con.conrelid = i.indrelid
                        and con.contype in ('p', 'u', 'x'))
    order by i.indrelid, ic.relname collate "C"`,

  policies: `
    select p.polrelid::bigint as id, quote_ident(p.polname) as name,
           'CREATE POLICY ' || quote_ident(p.polname) || ' ON ' || ${qualified('n', 'c.relname')}
           || case when p.polpermissive then '' else E'\\n  AS RESTRICTIVE' end
           || E'\\n  FOR ' || case p.polcmd when 'r' then 'SELECT' when 'a' then 'INSERT' when 'w' then 'UPDATE'
                                          when 'd' then 'DELETE' else 'ALL' end
           || ' TO ' || (select string_agg(g.name, ', ' order by g.name collate "C")
                         from unnest(p.polroles) r,
                              lateral (select case when r = 0 then 'PUBLIC'
                                                   else quote_ident(pg_get_userbyid(r)) end as name) g)
           || coalesce(E'\\n  USING (' || pg_get_expr(p.polqual, p.polrelid, true) || ')', '')
           || coalesce(E'\\n  WITH CHECK (' || pg_get_expr(p.polwithcheck, p.polrelid, true) || ')', '')
             as definition
    from pg_policy p
    join pg_class c on c.oid = p.polrelid
    join pg_namespace n on n.oid = c.relnamespace
    order by p.polrelid, p.polname collate "C"`,

  triggers: `
    select t.tgrelid::bigint as id, quote_ident(t.tgname) as name, pg_get_triggerdef(t.oid, true) as definition,
           t.tgenabled::text as enabled
    from pg_trigger t
    where not t.tgisinternal
    order by t.tgrelid, t.tgname collate "C"`,

  ownedSequences: `
    select d.refobjid::bigint as id, ${qualified('n', 's.relname')} as key,
           ${aclLines("coalesce(s.relacl, acldefault('s', s.relowner))")} as acl,
           ${aclLines("acldefault('s', s.relowner)")} as built_in_acl
    from pg_depend d
    join pg_class s on s.oid = d.objid and s.relkind = 'S'
    join pg_namespace n on n.oid = s.relnamespace
    where d.classid = 'pg_class'::regclass and d.refclassid = 'pg_class'::regclass and d.deptype in ('a', 'i')
    order by d.refobjid, s.relname collate "C"`,

  functions: `
    select ${qualified('n', 'p.proname')} || '(' || pg_get_function_identity_arguments(p.oid) || ')' as key,
           quote_ident(pg_get_userbyid(p.proowner)) as owner, obj_description(p.oid, 'pg_proc') as comment,
           ${aclLines("coalesce(p.proacl, acldefault('f', p.proowner))")} as acl,
           ${aclLines("acldefault('f', p.proowner)")} as built_in_acl,
           case p.prokind when 'p' then 'PROCEDURE' when 'a' then 'AGGREGATE' else 'FUNCTION' end as kind,
           case when p.prokind = 'a' then null else pg_get_functiondef(p.oid) end as definition
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where ${notPostgres('n')} and ${notFromExtension('pg_proc', 'p.oid')}`,

  defaultPrivileges: `
    select quote_ident(pg_get_userbyid(d.defaclrole)) as role, quote_ident(n.nspname) as schema,
           case d.defaclobjtype when 'r' then 'TABLES' when 'S' then 'SEQUENCES' when 'f' then 'FUNCTIONS'
                                when 'T' then 'TYPES' else 'SCHEMAS' end as objects,
           ${aclLines('d.defaclacl')} as acl,
           case when d.defaclnamespace = 0
                then ${aclLines(`acldefault((case d.defaclobjtype when 'S' then 's' else d.defaclobjtype end)::"char",
                                            d.defaclrole)`)} end as built_in_acl
    from pg_default_acl d left join pg_namespace n on n.oid = d.defaclnamespace`,
}

type Rows = Record<string, unknown>[]

function parseAcl(lines: unknown): AclEntry[] {
  if (typeof lines !== 'string' || lines === '') return []
  return lines.split('\n').map((line) => {
    const [grantee = '', privilege = '', grantable] = line.split('\t')
    return { grantee, privilege, grantable: grantable === 'true' }
  })
}

const text = (value: unknown) => (value == null ? null : String(value))
const str = (value: unknown) => String(value ?? '')

function owned(row: Rows[number]): Owned {
  return {
    key: str(row.key),
    owner: str(row.owner),
    comment: text(row.comment),
    acl: parseAcl(row.acl),
    builtInAcl: parseAcl(row.built_in_acl),
  }
}

/** Rows of a per-relation query, by relation. */
function byRelation<T>(rows: Rows, map: (row: Rows[number]) => T): Map<string, T[]> {
  const result = new Map<string, T[]>()
  for (const row of rows) {
    const id = str(row.id)
    const list = result.get(id) ?? []
    list.push(map(row))
    result.set(id, list)
  }
  return result
}

/** Reads the catalogue in one transaction (a consistent view, and `set local` stays in it). */
export function readCatalogue(db: Database): Promise<Catalogue> {
  return db.transaction(async (tx) => {
    await tx.query(`select set_config('search_path', '', true)`)
    return readRows((query) => tx.query(query))
  })
}

async function readRows(run: (query: string) => Promise<Rows>): Promise<Catalogue> {
  const [roleRow] = await run('select quote_ident(current_user) as role')
  const [schemas, extensions, types, relations, columns, constraints, indexes, policies, triggers] =
    await Promise.all([
      run(sql.schemas),
      run(sql.extensions),
      run(sql.types),
      run(sql.relations),
      run(sql.columns),
      run(sql.constraints),
      run(sql.indexes),
      run(sql.policies),
      run(sql.triggers),
    ])
  const [ownedSequences, functions, defaultPrivileges] = await Promise.all([
    run(sql.ownedSequences),
    run(sql.functions),
    run(sql.defaultPrivileges),
  ])
  const columnsOf = byRelation(columns, (r) => ({
    name: str(r.name),
    definition: str(r.definition),
    comment: text(r.comment),
    acl: parseAcl(r.acl),
  }))
  const named = (r: Rows[number]) => ({ name: str(r.name), definition: str(r.definition) })
  const constraintsOf = byRelation(constraints, named)
  const indexesOf = byRelation(indexes, named)
  const policiesOf = byRelation(policies, named)
  const triggersOf = byRelation(triggers, (r) => ({ ...named(r), enabled: str(r.enabled) }))
  const sequencesOf = byRelation(ownedSequences, (r) => ({
    key: str(r.key),
    acl: parseAcl(r.acl),
    builtInAcl: parseAcl(r.built_in_acl),
  }))
  return {
    role: str(roleRow?.role),
    schemas: schemas.map(owned),
    extensions: extensions.map((r) => ({ key: str(r.key), schema: str(r.schema), version: str(r.version) })),
    types: types.map((r) => ({
      ...owned(r),
      kind: str(r.kind) as TypeInfo['kind'],
      definition: str(r.definition),
    })),
    relations: relations.map((r) => {
      const id = str(r.id)
      return {
        ...owned(r),
        kind: str(r.kind) as RelationInfo['kind'],
        rls: r.rls === true,
        forceRls: r.force_rls === true,
        options: r.options ? str(r.options).split('\n') : [],
        body: text(r.body),
        columns: columnsOf.get(id) ?? [],
        constraints: constraintsOf.get(id) ?? [],
        indexes: indexesOf.get(id) ?? [],
        policies: policiesOf.get(id) ?? [],
        triggers: triggersOf.get(id) ?? [],
        ownedSequences: sequencesOf.get(id) ?? [],
      }
    }),
    functions: functions.map((r) => ({
      ...owned(r),
      kind: str(r.kind) as FunctionInfo['kind'],
      definition: str(r.definition),
    })),
    defaultPrivileges: defaultPrivileges.map((r) => ({
      key: `${str(r.role)} ${str(r.schema)} ${str(r.objects)}`,
      role: str(r.role),
      schema: text(r.schema),
      objects: str(r.objects) as DefaultPrivilegeInfo['objects'],
      acl: parseAcl(r.acl),
      builtInAcl: parseAcl(r.built_in_acl),
    })),
  }
}
