import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { customerPhases } from '../functions/routes/customers/customers.schemas.ts'
import { documentCategories } from '../functions/routes/documents/documents.schemas.ts'
import { MembershipRole } from '../functions/routes/me/me.schemas.ts'
import { processStatuses } from '../functions/routes/processes/processes.schemas.ts'
import { timelineEventTypes } from '../functions/routes/timeline/timeline.schemas.ts'
import { createTestDatabase, type TestDatabase } from './support/test-database.ts'

/**
 * The schema checked the way Supabase's database linter (splinter) and our
 * security model check it, from pg_catalog: each check lists the offending
 * objects. Each also proves it can fail: a planted offender, in a transaction
 * that is rolled back, must show up in its list.
 */

interface CatalogueCheck {
  /** Completes "the schema has …". */
  rule: string
  /** Returns one `offender` text per object that breaks the rule. */
  sql: string
  /** DDL that breaks the rule once… */
  plant: string
  /** …and the offender it must produce. */
  planted: string
}

const checks: CatalogueCheck[] = [
  {
    rule: 'row level security enabled on every table in public',
    sql: `select c.oid::regclass::text as offender
          from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relrowsecurity`,
    plant: 'create table public.zz_planted (id int primary key)',
    planted: 'zz_planted',
  },
  {
    rule: 'an explicit `to` role on every policy',
    sql: `select format('%s: %s', p.polrelid::regclass, p.polname) as offender
          from pg_policy p
          where 0 = any (p.polroles)`,
    plant: 'create policy "Planted" on public.customers for select using (true)',
    planted: 'customers: Planted',
  },
  {
    rule: 'an index led by the columns of every foreign key in public',
    sql: `select format('%s: %s (%s)', c.conrelid::regclass, c.conname,
                  (select string_agg(a.attname, ', ' order by k.ord)
                   from unnest(c.conkey) with ordinality k (attnum, ord)
                   join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum)) as offender
          from pg_constraint c
          join pg_class t on t.oid = c.conrelid
          join pg_namespace n on n.oid = t.relnamespace
          where c.contype = 'f' and n.nspname = 'public'
            and not exists (
              select from pg_index i
              where i.indrelid = c.conrelid and i.indisvalid
                -- The index's first n columns are the key's n columns, in any order.
                and (select array_agg(k order by k)
                     from unnest((string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(c.conkey)]) k)
                  = (select array_agg(k order by k) from unnest(c.conkey) k)
            )`,
    plant: `create table public.zz_planted (id int primary key, org_id uuid references public.organizations (id));
            alter table public.zz_planted enable row level security`,
    planted: 'zz_planted: zz_planted_org_id_fkey (org_id)',
  },
  {
    rule: 'a pinned search_path on every function in public and private',
    sql: `select p.oid::regprocedure::text as offender
          from pg_proc p join pg_namespace n on n.oid = p.pronamespace
          where n.nspname in ('public', 'private')
            and not exists (select from unnest(p.proconfig) setting where setting like 'search_path=%')`,
    plant: `create function private.zz_planted() returns int language sql as 'select 1'`,
    planted: 'private.zz_planted()',
  },
  {
    rule: 'no security definer function in public that anon may execute',
    sql: `select p.oid::regprocedure::text as offender
          from pg_proc p join pg_namespace n on n.oid = p.pronamespace
          where n.nspname = 'public' and p.prosecdef and has_function_privilege('anon', p.oid, 'execute')`,
    plant: `create function public.zz_planted() returns int language sql security definer
              set search_path = '' as 'select 1';
            grant execute on function public.zz_planted() to anon`,
    planted: 'zz_planted()',
  },
  {
    rule: 'no function in private that anon may execute, nor use of the schema',
    sql: `select p.oid::regprocedure::text as offender
          from pg_proc p join pg_namespace n on n.oid = p.pronamespace
          where n.nspname = 'private' and has_function_privilege('anon', p.oid, 'execute')
          union all
          select 'schema private' where has_schema_privilege('anon', 'private', 'usage')`,
    plant: 'grant usage on schema private to anon',
    planted: 'schema private',
  },
  {
    rule: 'security_invoker on every view in public',
    sql: `select c.oid::regclass::text as offender
          from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = 'public' and c.relkind = 'v'
            and not exists (
              select from unnest(c.reloptions) option
              where lower(option) in ('security_invoker=on', 'security_invoker=true', 'security_invoker=1')
            )`,
    plant: 'create view public.zz_planted as select id from public.customers',
    planted: 'zz_planted',
  },
  {
    rule: 'auth.uid() (and auth.jwt(), auth.role()) only as `(select auth.uid())` in policies',
    sql: `select format('%s.%s: %s', tablename, policyname, expression) as offender
          from pg_policies,
               lateral (values (qual), (with_check)) e (expression)
          where expression is not null
            and regexp_replace(expression, 'SELECT auth\\.(uid|jwt|role)\\(\\) AS [a-z_]+', '', 'g')
                ~ 'auth\\.(uid|jwt|role)\\(\\)'`,
    plant:
      'create policy "Planted" on public.customers for select to authenticated using (owner_id = auth.uid())',
    planted: 'customers.Planted: (owner_id = auth.uid())',
  },
  {
    rule: 'no privileges for anon on any table, view or sequence in public',
    sql: `select format('%s: %s', c.oid::regclass, privilege) as offender
          from pg_class c
          join pg_namespace n on n.oid = c.relnamespace
          cross join unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'])
            privilege
          where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'f')
            and (has_table_privilege('anon', c.oid, privilege)
                 or (privilege in ('SELECT', 'INSERT', 'UPDATE', 'REFERENCES')
                     and has_any_column_privilege('anon', c.oid, privilege)))
          union all
          select format('%s: %s', c.oid::regclass, privilege)
          from pg_class c
          join pg_namespace n on n.oid = c.relnamespace
          cross join unnest(array['USAGE', 'SELECT', 'UPDATE']) privilege
          where n.nspname = 'public' and c.relkind = 'S' and has_sequence_privilege('anon', c.oid, privilege)`,
    plant: 'grant select (name) on public.customers to anon',
    planted: 'customers: SELECT',
  },
]

class Rollback {
  constructor(readonly offenders: string[]) {}
}

describe('catalogue', () => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await createTestDatabase()
  })
  afterAll(() => t.close())

  const offenders = async (sql: string) =>
    (await t.db.query<{ offender: string }>(sql)).map((row) => row.offender).sort()

  for (const check of checks) {
    it(`should have ${check.rule}`, async () => {
      expect(await offenders(check.sql), `offending objects for "${check.rule}"`).toEqual([])
    })

    it(`should report an object that breaks "${check.rule}"`, async () => {
      let planted: string[] = []
      try {
        await t.db.transaction(async (tx) => {
          await tx.execScript(check.plant)
          throw new Rollback(
            (await tx.query<{ offender: string }>(check.sql)).map((row) => row.offender).sort(),
          )
        })
      } catch (error) {
        if (!(error instanceof Rollback)) throw error
        planted = error.offenders
      }
      expect(planted).toEqual([check.planted])
    })
  }
})

/** The API's zod enums are written by hand: each must list the database enum's values, in its order. */
describe('API enums match the database', () => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await createTestDatabase()
  })
  afterAll(() => t.close())

  const labels = async (type: string) =>
    (
      await t.db.query<{ label: string }>(
        `select e.enumlabel as label from pg_enum e where e.enumtypid = $1::regtype order by e.enumsortorder`,
        [type],
      )
    ).map((r) => r.label)

  it.each([
    ['public.customer_phase', customerPhases],
    ['public.process_status', processStatuses],
    ['public.timeline_event_type', timelineEventTypes],
    ['public.document_category', documentCategories],
    ['public.membership_role', MembershipRole.options],
  ] as const)('should list every value of %s', async (type, values) => {
    expect(await labels(type)).toEqual([...values])
  })
})
