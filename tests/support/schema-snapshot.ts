import type { Queryable } from '../../functions/db/database.ts'

/**
 * What a database's schema is, read from the catalogue as sorted lines of text,
 * so two databases built in different ways (our migrate, the Supabase CLI) can
 * be compared with one `toEqual` and a readable diff. Covers every schema but
 * Postgres's own; objects that belong to an extension are listed through the
 * extension (name, schema, version), not one by one.
 */
export interface SchemaSnapshot {
  schemas: string[]
  extensions: string[]
  relations: string[]
  columns: string[]
  constraints: string[]
  indexes: string[]
  policies: string[]
  functions: string[]
  triggers: string[]
  types: string[]
  grants: string[]
  defaultPrivileges: string[]
}

/** Schemas that are Postgres's, not the project's or the platform's. */
const ownSchemas = `
  n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
  and n.nspname not like 'pg_temp_%' and n.nspname not like 'pg_toast_temp_%'
`

/** Not created by `create extension` (those are compared as the extension). */
const notFromExtension = (catalog: string, oid: string) => `
  not exists (select from pg_depend d
              where d.classid = '${catalog}'::regclass and d.objid = ${oid} and d.deptype = 'e')
`

const queries: Record<keyof SchemaSnapshot, string> = {
  schemas: `
    select n.nspname || ' acl=' || coalesce(
             (select string_agg(a, ',' order by a) from unnest(n.nspacl::text[]) a), '-') as line
    from pg_namespace n
    where ${ownSchemas}`,

  extensions: `
    select e.extname || ' in ' || n.nspname || ' version ' || e.extversion as line
    from pg_extension e join pg_namespace n on n.oid = e.extnamespace`,

  relations: `
    select n.nspname || '.' || c.relname || ' kind=' || c.relkind::text
           || ' rls=' || c.relrowsecurity || ' force_rls=' || c.relforcerowsecurity
           || ' options=' || coalesce(array_to_string(c.reloptions, ','), '-')
           || case when c.relkind in ('v', 'm') then ' view=' || pg_get_viewdef(c.oid) else '' end as line
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where ${ownSchemas} and c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')
      and ${notFromExtension('pg_class', 'c.oid')}`,

  columns: `
    select n.nspname || '.' || c.relname || '.' || a.attname
           || ' ' || format_type(a.atttypid, a.atttypmod)
           || case when a.attnotnull then ' not null' else '' end
           || coalesce(' default ' || pg_get_expr(ad.adbin, ad.adrelid), '')
           || case when a.attidentity <> '' then ' identity=' || a.attidentity::text else '' end
           || case when a.attgenerated <> '' then ' generated=' || a.attgenerated::text else '' end
           || ' collation=' || coalesce(co.collname, '-') as line
    from pg_attribute a
    join pg_class c on c.oid = a.attrelid
    join pg_namespace n on n.oid = c.relnamespace
    left join pg_attrdef ad on ad.adrelid = a.attrelid and ad.adnum = a.attnum
    left join pg_collation co on co.oid = a.attcollation and a.attcollation <> 0
    where ${ownSchemas} and c.relkind in ('r', 'p', 'v', 'm', 'f')
      and a.attnum > 0 and not a.attisdropped
      and ${notFromExtension('pg_class', 'c.oid')}`,

  constraints: `
    select n.nspname || '.' || coalesce(c.relname, t.typname) || ' ' || con.conname
           || ' ' || con.contype::text || ': ' || pg_get_constraintdef(con.oid)
           || case when con.condeferrable then ' deferrable' else '' end as line
    from pg_constraint con
    join pg_namespace n on n.oid = con.connamespace
    left join pg_class c on c.oid = con.conrelid
    left join pg_type t on t.oid = con.contypid
    where ${ownSchemas} and ${notFromExtension('pg_constraint', 'con.oid')}`,

  indexes: `
    select i.schemaname || '.' || i.indexname || ': ' || i.indexdef as line
    from pg_indexes i
    join pg_namespace n on n.nspname = i.schemaname
    where ${ownSchemas}`,

  policies: `
    select p.schemaname || '.' || p.tablename || ' "' || p.policyname || '"'
           || ' ' || p.permissive || ' for ' || p.cmd || ' to ' || array_to_string(p.roles, ',')
           || ' using ' || coalesce(p.qual, '-') || ' with check ' || coalesce(p.with_check, '-') as line
    from pg_policies p
    join pg_namespace n on n.nspname = p.schemaname
    where ${ownSchemas}`,

  functions: `
    select n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')'
           || ' kind=' || p.prokind::text || ' security_definer=' || p.prosecdef
           || ' config=' || coalesce(array_to_string(p.proconfig, ','), '-')
           || ' acl=' || coalesce((select string_agg(a, ',' order by a) from unnest(p.proacl::text[]) a), '-')
           || E'\\n' || case when p.prokind = 'a' then '(aggregate)' else pg_get_functiondef(p.oid) end as line
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where ${ownSchemas} and ${notFromExtension('pg_proc', 'p.oid')}`,

  triggers: `
    select n.nspname || '.' || c.relname || ' ' || t.tgname || ': ' || pg_get_triggerdef(t.oid)
           || ' enabled=' || t.tgenabled::text as line
    from pg_trigger t
    join pg_class c on c.oid = t.tgrelid
    join pg_namespace n on n.oid = c.relnamespace
    where ${ownSchemas} and not t.tgisinternal`,

  types: `
    select n.nspname || '.' || t.typname || ' type=' || t.typtype::text
           || case t.typtype
                when 'e' then ' labels=' || (select string_agg(e.enumlabel, ',' order by e.enumsortorder)
                                             from pg_enum e where e.enumtypid = t.oid)
                when 'd' then ' base=' || format_type(t.typbasetype, t.typtypmod)
                              || case when t.typnotnull then ' not null' else '' end
                              || coalesce(' default ' || t.typdefault, '')
                else ''
              end as line
    from pg_type t join pg_namespace n on n.oid = t.typnamespace
    where ${ownSchemas} and t.typtype in ('e', 'd', 'c', 'r')
      and not exists (select from pg_class c where c.oid = t.typrelid and c.relkind <> 'c')
      and ${notFromExtension('pg_type', 't.oid')}`,

  grants: `
    select n.nspname || '.' || c.relname || ' to ' || coalesce(r.rolname, 'public')
           || ': ' || string_agg(acl.privilege_type, ',' order by acl.privilege_type) as line
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    cross join lateral aclexplode(c.relacl) acl
    left join pg_roles r on r.oid = acl.grantee
    where ${ownSchemas} and c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')
    group by n.nspname, c.relname, r.rolname`,

  defaultPrivileges: `
    select coalesce(n.nspname, '(all schemas)') || ' for ' || pg_get_userbyid(d.defaclrole)
           || ' on ' || d.defaclobjtype::text || ': '
           || (select string_agg(a, ',' order by a) from unnest(d.defaclacl::text[]) a) as line
    from pg_default_acl d
    left join pg_namespace n on n.oid = d.defaclnamespace`,
}

/** Reads the snapshot; every list is sorted, so creation order does not matter. */
export async function schemaSnapshot(db: Queryable): Promise<SchemaSnapshot> {
  const entries = await Promise.all(
    Object.entries(queries).map(async ([key, sql]) => {
      const rows = await db.query<{ line: string }>(`select line from (${sql}) s order by line collate "C"`)
      return [key, rows.map((r) => r.line)] as const
    }),
  )
  return Object.fromEntries(entries) as unknown as SchemaSnapshot
}
