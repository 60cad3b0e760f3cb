import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'

/**
 * More of the database checked from pg_catalog, beyond tests/catalogue.test.ts
 * (RLS on every table in public, a `to` role on every policy, pinned
 * search_path, security_invoker views, nothing for anon), which these do not
 * repeat. Same pattern: each check lists offenders, and proves it can fail by
 * finding an offender planted in a transaction that is rolled back.
 */

interface LintCheck {
  rule: string
  sql: string
  plant: string
  planted: string
}

/** Schemas the platform (Supabase) owns and ships: its rules, not ours. */
const platformSchemas = `('auth', 'storage', 'realtime', 'extensions', 'graphql', 'graphql_public', 'vault',
  'pgsodium', 'pgsodium_masks', 'supabase_functions', 'supabase_migrations', 'net', 'cron', 'pgbouncer')`
const ourSchemas = `n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast') and n.nspname not like 'pg_temp_%'
  and n.nspname not like 'pg_toast_temp_%' and n.nspname not in ${platformSchemas}`

const checks: LintCheck[] = [
  {
    rule: 'row level security on every table of ours that the API roles can reach, in any schema',
    sql: `select c.oid::regclass::text as offender
          from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where ${ourSchemas} and c.relkind in ('r', 'p') and not c.relrowsecurity
            and (has_table_privilege('authenticated', c.oid, 'select, insert, update, delete')
                 or has_table_privilege('anon', c.oid, 'select, insert, update, delete'))`,
    plant: `create table private.zz_planted (id int primary key);
            grant select on private.zz_planted to authenticated`,
    planted: 'private.zz_planted',
  },
  {
    rule: 'an empty search_path on every security definer function of ours (no name resolved through it)',
    sql: `select p.oid::regprocedure::text as offender
          from pg_proc p join pg_namespace n on n.oid = p.pronamespace
          where ${ourSchemas} and p.prosecdef
            and not exists (select from unnest(p.proconfig) s where s in ('search_path=""', 'search_path=pg_catalog'))`,
    plant: `create function private.zz_planted() returns int language sql security definer
              set search_path = public as 'select 1'`,
    planted: 'private.zz_planted()',
  },
  {
    rule: 'no security definer function in public (the exposed schema) that authenticated may call',
    sql: `select p.oid::regprocedure::text as offender
          from pg_proc p join pg_namespace n on n.oid = p.pronamespace
          where n.nspname = 'public' and p.prosecdef and has_function_privilege('authenticated', p.oid, 'execute')`,
    plant: `create function public.zz_planted() returns int language sql security definer
              set search_path = '' as 'select 1';
            grant execute on function public.zz_planted() to authenticated`,
    planted: 'zz_planted()',
  },
  {
    rule: 'no view owned by a superuser or RLS-bypassing role without security_invoker, in any schema the API roles can read',
    sql: `select c.oid::regclass::text as offender
          from pg_class c join pg_namespace n on n.oid = c.relnamespace
          join pg_roles r on r.oid = c.relowner
          where ${ourSchemas} and c.relkind = 'v' and (r.rolsuper or r.rolbypassrls)
            and (has_table_privilege('authenticated', c.oid, 'select') or has_table_privilege('anon', c.oid, 'select'))
            and not exists (select from unnest(c.reloptions) o
                            where lower(o) in ('security_invoker=on', 'security_invoker=true', 'security_invoker=1'))`,
    plant: `create view private.zz_planted as select id from public.customers;
            grant select on private.zz_planted to authenticated`,
    planted: 'private.zz_planted',
  },
  {
    rule: 'no materialized view the API roles can read (RLS does not apply to them)',
    sql: `select c.oid::regclass::text as offender
          from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where ${ourSchemas} and c.relkind = 'm'
            and (has_table_privilege('authenticated', c.oid, 'select') or has_table_privilege('anon', c.oid, 'select'))`,
    plant: `create materialized view public.zz_planted as select id from public.customers;
            grant select on public.zz_planted to authenticated`,
    planted: 'zz_planted',
  },
  {
    rule: 'no policy reading user_metadata (users can edit it themselves)',
    sql: `select format('%s.%s: %s', schemaname, tablename, policyname) as offender
          from pg_policies
          where concat_ws(' ', qual, with_check) ~* '(raw_)?user_meta(_)?data'`,
    plant: `create policy "Planted" on public.customers for select to authenticated
              using ((select auth.jwt()) -> 'user_metadata' ->> 'org' = org_id::text)`,
    planted: 'public.customers: Planted',
  },
  {
    // TRIGGER and REFERENCES are worth most with objects of one's own: none where they would last.
    rule: 'no CREATE on any schema of ours for anon or authenticated',
    sql: `select format('schema %s: %s', n.nspname, r.rolname) as offender
          from pg_namespace n cross join (values ('anon'), ('authenticated')) r (rolname)
          where ${ourSchemas} and has_schema_privilege(r.rolname, n.oid, 'CREATE')`,
    plant: 'grant create on schema private to authenticated',
    planted: 'schema private: authenticated',
  },
  {
    rule: 'a statement_timeout between 1 s and 60 s for authenticated and anon in this database',
    sql: `with roles (rolname) as (values ('authenticated'), ('anon')),
          effective as (
            select r.rolname,
                   (select split_part(s, '=', 2)
                      from pg_db_role_setting d cross join unnest(d.setconfig) s
                     where d.setrole = r.rolname::regrole and s like 'statement_timeout=%'
                       and d.setdatabase in (0, (select oid from pg_database where datname = current_database()))
                     order by d.setdatabase desc limit 1) as timeout
            from roles r
          )
          select format('%s: %s', rolname, coalesce(timeout, 'not set')) as offender
          from effective
          where timeout is null
             or not (timeout ~ '^[0-9]+(ms|s|min)?$')
             or (case when timeout ~ 'ms$' then rtrim(timeout, 'ms')::numeric
                      when timeout ~ 'min$' then rtrim(timeout, 'min')::numeric * 60000
                      when timeout ~ 's$' then rtrim(timeout, 's')::numeric * 1000
                      else timeout::numeric end) not between 1000 and 60000`,
    // In this database only, so other databases on the server never see it, even for a moment.
    plant: `do $$ begin
              execute format('alter role authenticated in database %I set statement_timeout = 0', current_database());
            end $$`,
    planted: 'authenticated: 0',
  },
]

class Rollback {
  constructor(readonly offenders: string[]) {}
}

describe('database lint (security)', () => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await createTestDatabase()
  })
  afterAll(() => t?.close())

  for (const check of checks) {
    it(`should have ${check.rule}`, async () => {
      const offenders = (await t.db.query<{ offender: string }>(check.sql)).map((r) => r.offender).sort()
      expect(offenders, `offending objects for "${check.rule}"`).toEqual([])
    })

    it(`should report an object that breaks "${check.rule}"`, async () => {
      let planted: string[] = []
      try {
        await t.db.transaction(async (tx) => {
          await tx.execScript(check.plant)
          throw new Rollback((await tx.query<{ offender: string }>(check.sql)).map((r) => r.offender).sort())
        })
      } catch (error) {
        if (!(error instanceof Rollback)) throw error
        planted = error.offenders
      }
      expect(planted).toEqual([check.planted])
    })
  }
})
