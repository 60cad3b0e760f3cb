import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Queryable } from '../functions/db/database.ts'
import {
  activityKinds,
  activityOutcomes,
  chatRoles,
  crmObjectKinds,
  currencies,
  customerPhases,
  documentCategories,
  documentStatuses,
  integrationProviders,
  invitationStatuses,
  jobRunStatuses,
  membershipRoles,
  notificationKinds,
  processStatuses,
  timelineEventTypes,
  webhookEventStatuses,
} from '../functions/domain/vocabulary.ts'
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

/**
 * Schemas of ours: every schema but Postgres's own and the platform's (Supabase
 * creates and grants those; locally supabase/local/platform.sql mirrors them).
 * `realtime.messages` is the platform's table but our policies decide who
 * reads it, so it is held to our rules too.
 */
const platformSchemas = `('auth', 'storage', 'realtime', 'extensions', 'graphql', 'graphql_public', 'vault',
  'pgsodium', 'pgsodium_masks', 'supabase_functions', 'supabase_migrations', 'net', 'cron', 'pgbouncer')`
const ourRelation = `((n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
  and n.nspname not in ${platformSchemas}) or c.oid = to_regclass('realtime.messages'))`

/**
 * The roles the Data API and our API switch to (the service role's key is a
 * server's, but no server of ours truncates either), and PUBLIC, which every
 * role holds.
 */
const apiGrantees = `(values (0::oid, 'PUBLIC'), ('anon'::regrole::oid, 'anon'),
  ('authenticated'::regrole::oid, 'authenticated'), ('service_role'::regrole::oid, 'service_role')) g (oid, name)`

/**
 * Privileges no client needs on a table: TRUNCATE empties it past RLS, TRIGGER
 * attaches code to everyone's writes, REFERENCES lets a foreign key look up
 * rows RLS hides, MAINTAIN (Postgres 17+) reindexes, clusters and locks.
 */
const forbiddenTablePrivileges = `('TRUNCATE', 'TRIGGER', 'REFERENCES', 'MAINTAIN')`

const tablePrivilegesSql = `
  select format('%s: %s %s', c.oid::regclass, g.name, a.privilege_type) as offender
  from pg_class c
  join pg_namespace n on n.oid = c.relnamespace
  cross join lateral aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) a
  join ${apiGrantees} on g.oid = a.grantee
  where c.relkind in ('r', 'p', 'v', 'm', 'f') and ${ourRelation}
    and a.privilege_type in ${forbiddenTablePrivileges}
  union all
  select format('%s.%s: %s %s', c.oid::regclass, att.attname, g.name, a.privilege_type)
  from pg_class c
  join pg_namespace n on n.oid = c.relnamespace
  join pg_attribute att on att.attrelid = c.oid and att.attnum > 0 and att.attacl is not null
  cross join lateral aclexplode(att.attacl) a
  join ${apiGrantees} on g.oid = a.grantee
  where c.relkind in ('r', 'p', 'v', 'm', 'f') and ${ourRelation}
    and a.privilege_type in ${forbiddenTablePrivileges}`

const sequencePrivilegesSql = `
  select format('%s: %s %s', c.oid::regclass, g.name, a.privilege_type) as offender
  from pg_class c
  join pg_namespace n on n.oid = c.relnamespace
  cross join lateral aclexplode(coalesce(c.relacl, acldefault('s', c.relowner))) a
  join ${apiGrantees} on g.oid = a.grantee
  where c.relkind = 'S' and ${ourRelation}`

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
  {
    // updated_at is the row's version (its ETag): the database's clock, never the client's.
    rule: 'a trigger stamping updated_at before insert and update on every table in public that has one',
    sql: `select c.oid::regclass::text as offender
          from pg_class c
          join pg_namespace n on n.oid = c.relnamespace
          join pg_attribute a on a.attrelid = c.oid and a.attname = 'updated_at' and not a.attisdropped
          where n.nspname = 'public' and c.relkind in ('r', 'p')
            and not exists (
              select from pg_trigger t
              where t.tgrelid = c.oid and t.tgenabled <> 'D'
                and t.tgfoid = 'private.set_updated_at()'::regprocedure
                -- tgtype bits: 1 row, 2 before, 4 insert, 16 update
                and t.tgtype & (1 | 2 | 4 | 16) = (1 | 2 | 4 | 16)
            )`,
    plant: `create table public.zz_planted (id int primary key, updated_at timestamptz not null default now());
            alter table public.zz_planted enable row level security`,
    planted: 'zz_planted',
  },
  {
    rule: 'no TRUNCATE, TRIGGER, REFERENCES or MAINTAIN for the API roles or PUBLIC on any table, view or column of ours',
    sql: tablePrivilegesSql,
    plant: 'grant truncate on public.customers to authenticated',
    planted: 'customers: authenticated TRUNCATE',
  },
  {
    rule: 'no REFERENCES on a column of ours for the API roles or PUBLIC either',
    sql: tablePrivilegesSql,
    plant: 'grant references (id) on public.customers to authenticated',
    planted: 'customers.id: authenticated REFERENCES',
  },
  {
    // Identity columns draw their values without any privilege on the sequence;
    // a serial default (nextval) would need USAGE: use an identity column instead.
    rule: 'no privilege for the API roles or PUBLIC on any sequence of ours',
    sql: sequencePrivilegesSql,
    plant: `create sequence private.zz_planted;
            grant usage on sequence private.zz_planted to authenticated`,
    planted: 'private.zz_planted: authenticated USAGE',
  },
  {
    // The default privileges of the role that runs the migrations (and of any role
    // it may act for): what a table or sequence created later is born with.
    rule: 'default privileges that give the API roles and PUBLIC none of those on future tables and sequences',
    sql: `select format('%s %s: %s %s',
                        case when d.defaclnamespace = 0 then 'every schema' else d.defaclnamespace::regnamespace::text end,
                        case d.defaclobjtype when 'r' then 'tables' else 'sequences' end,
                        g.name, a.privilege_type) as offender
          from pg_default_acl d
          cross join lateral aclexplode(d.defaclacl) a
          join ${apiGrantees} on g.oid = a.grantee
          where pg_has_role(current_user, d.defaclrole, 'MEMBER')
            and ((d.defaclobjtype = 'r' and a.privilege_type in ${forbiddenTablePrivileges})
                 or d.defaclobjtype = 'S')`,
    plant: 'alter default privileges in schema private grant trigger on tables to authenticated',
    planted: 'private tables: authenticated TRIGGER',
  },
  {
    // Exactly what the policies need: a privilege no policy uses is a lock left open
    // for the day a permissive policy or a disabled RLS comes along.
    rule: 'no privilege for authenticated on a table in public for a command no policy lets it run',
    sql: `select format('%s: %s', c.oid::regclass, cmd.privilege) as offender
          from pg_class c
          join pg_namespace n on n.oid = c.relnamespace
          cross join (values ('SELECT', 'r'), ('INSERT', 'a'), ('UPDATE', 'w'), ('DELETE', 'd')) cmd (privilege, polcmd)
          where n.nspname = 'public' and c.relkind in ('r', 'p')
            and case when cmd.privilege = 'DELETE' then has_table_privilege('authenticated', c.oid, 'DELETE')
                     else has_any_column_privilege('authenticated', c.oid, cmd.privilege) end
            and not exists (
              select from pg_policy p
              where p.polrelid = c.oid and p.polcmd in (cmd.polcmd::"char", '*')
                and (0 = any (p.polroles) or 'authenticated'::regrole = any (p.polroles))
            )`,
    plant: 'grant update on public.timeline_events to authenticated',
    planted: 'timeline_events: UPDATE',
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

/**
 * The default privileges at work: a table, view and sequence created now, by
 * the role that ran the migrations (as the next migration will be), must be
 * born with none of the forbidden privileges, usable by signed-in users under
 * RLS and not at all by anon. Created in a transaction that is rolled back.
 */
describe('objects created after the migrations', () => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await createTestDatabase()
  })
  afterAll(() => t.close())

  it('should be born without TRUNCATE, TRIGGER, REFERENCES, MAINTAIN or sequence privileges for the API roles or PUBLIC', async () => {
    let seen: { offenders: string[]; grants: string[] } | undefined
    try {
      await t.db.transaction(async (tx) => {
        await tx.execScript(`
          create table public.zz_later (id bigint generated always as identity primary key, label text);
          alter table public.zz_later enable row level security;
          create table private.zz_later (id serial primary key);
          create view public.zz_later_view with (security_invoker = on) as select id from public.zz_later;
          create sequence public.zz_later_seq;`)
        const offenders = (
          await tx.query<{ offender: string }>(`${tablePrivilegesSql} union all ${sequencePrivilegesSql}`)
        )
          .map((row) => row.offender)
          .filter((offender) => offender.includes('zz_later'))
        const grants = await tx.query<{ grant: string }>(
          `select format('%s: %s %s', c.oid::regclass, a.grantee::regrole, a.privilege_type) as grant
           from pg_class c cross join lateral aclexplode(c.relacl) a
           where c.oid = 'public.zz_later'::regclass and a.grantee <> c.relowner
           order by 1`,
        )
        throw new Rollback([JSON.stringify({ offenders, grants: grants.map((g) => g.grant) })])
      })
    } catch (error) {
      if (!(error instanceof Rollback)) throw error
      seen = JSON.parse(error.offenders[0] as string)
    }
    expect(seen?.offenders).toEqual([])
    // Born usable under RLS by signed-in users and the service role, whatever the
    // platform's own default (Supabase no longer grants new tables by itself).
    expect(seen?.grants).toEqual([
      'zz_later: authenticated DELETE',
      'zz_later: authenticated INSERT',
      'zz_later: authenticated SELECT',
      'zz_later: authenticated UPDATE',
      'zz_later: service_role DELETE',
      'zz_later: service_role INSERT',
      'zz_later: service_role SELECT',
      'zz_later: service_role UPDATE',
    ])
  })
})

/**
 * The database names the domain's vocabularies a second time, as enum types and
 * as CHECK constraints of the form `column = any (array[...])`. Each must list
 * functions/domain/vocabulary.ts's values in its order (enums sort by it), and
 * each of either kind must have a vocabulary there: a new one without fails.
 */
describe('the database’s vocabularies', () => {
  let t: TestDatabase
  beforeAll(async () => {
    t = await createTestDatabase()
  })
  afterAll(() => t.close())

  const enumTypes: Record<string, readonly string[]> = {
    'public.chat_role': chatRoles,
    'public.customer_phase': customerPhases,
    'public.document_category': documentCategories,
    'public.document_status': documentStatuses,
    'public.invitation_status': invitationStatuses,
    'public.membership_role': membershipRoles,
    'public.process_status': processStatuses,
    'public.timeline_event_type': timelineEventTypes,
  }
  const listChecks: Record<string, readonly string[]> = {
    'activities.activities_kind_known': activityKinds,
    'activities.activities_outcome_known': activityOutcomes,
    'integration_objects.integration_objects_kind_known': crmObjectKinds,
    'integrations.integrations_provider_known': integrationProviders,
    'job_runs.job_runs_status_known': jobRunStatuses,
    'notifications.notifications_kind_known': notificationKinds,
    'organizations.organizations_currency_known': currencies,
    'webhook_events.webhook_events_status_known': webhookEventStatuses,
  }

  const enumTypesSql = `
    select format('%s.%s', n.nspname, t.typname) as name,
           array(select e.enumlabel::text from pg_enum e where e.enumtypid = t.oid order by e.enumsortorder) as labels
    from pg_type t join pg_namespace n on n.oid = t.typnamespace
    where t.typtype = 'e' and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
      and n.nspname not in ${platformSchemas}
    order by 1`
  const listChecksSql = `
    select format('%s.%s', c.conrelid::regclass, c.conname) as name, pg_get_constraintdef(c.oid) as definition
    from pg_constraint c join pg_namespace n on n.oid = c.connamespace
    where c.contype = 'c' and pg_get_constraintdef(c.oid) like '%= ANY (ARRAY[%'
      and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
      and n.nspname not in ${platformSchemas}
    order by 1`

  type Found = { enums: Record<string, string[]>; checks: Record<string, string[]> }
  const read = async (db: Queryable): Promise<Found> => {
    const types = await db.query<{ name: string; labels: string[] }>(enumTypesSql)
    const constraints = await db.query<{ name: string; definition: string }>(listChecksSql)
    return {
      enums: Object.fromEntries(types.map((row) => [row.name, row.labels])),
      checks: Object.fromEntries(constraints.map((row) => [row.name, listOf(row.definition)])),
    }
  }
  /** `CHECK ((kind = ANY (ARRAY['customer'::text, 'contact'::text])))` → its values; anything else as itself. */
  const listOf = (definition: string) => {
    const list = /^CHECK \(+\w+ = ANY \(ARRAY\[((?:'[^']*'::text(?:, )?)+)\]\)\)+$/.exec(definition)
    return list?.[1] ? [...list[1].matchAll(/'([^']*)'::text/g)].map((m) => m[1] as string) : [definition]
  }

  it('should find an enum or a list check added without a vocabulary', async () => {
    let found: Found | undefined
    try {
      await t.db.transaction(async (tx) => {
        await tx.execScript(`
          create type public.zz_planted as enum ('a', 'b');
          alter table public.customers add constraint zz_planted check (name = any (array['x', 'y']))`)
        throw new Rollback([JSON.stringify(await read(tx))])
      })
    } catch (error) {
      if (!(error instanceof Rollback)) throw error
      found = JSON.parse(error.offenders[0] as string)
    }
    expect(found?.enums['public.zz_planted']).toEqual(['a', 'b'])
    expect(found?.checks['customers.zz_planted']).toEqual(['x', 'y'])
  })

  it('should list exactly the vocabulary’s values, in its order, in each enum and list check', async () => {
    expect(await read(t.db)).toEqual({
      enums: Object.fromEntries(Object.entries(enumTypes).map(([name, values]) => [name, [...values]])),
      checks: Object.fromEntries(Object.entries(listChecks).map(([name, values]) => [name, [...values]])),
    })
  })
})
