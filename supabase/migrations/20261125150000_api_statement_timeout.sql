-- Why: a pathological query (a search over a huge table, a runaway aggregate)
-- must not hold one of the API's connections for ever (OWASP API4:2023,
-- unrestricted resource consumption): it is cancelled and the caller gets a
-- 503 with Retry-After instead of a request that never ends.
--
-- These are Supabase's own values (a Supabase project ships them already, so
-- on Supabase this changes nothing); off Supabase (a plain Postgres, PGlite)
-- they were missing. Role settings are server-wide, which is what they are for:
-- the roles belong to the platform, not to one database.
--
-- A login as the role picks them up (PostgREST, Realtime, the Supabase CLI).
-- The API logs in as its own user and switches role per transaction, where a
-- role's settings do not apply by themselves: functions/db/with-user.ts
-- applies this statement_timeout to each caller's transaction.
--
-- Written only when not set already: the roles are shared by every database on
-- the server, so a second database migrated beside the first changes nothing.
do $$
declare
  wanted constant text[][] := array[['authenticated', '8s'], ['anon', '3s']];
  i int;
begin
  for i in 1 .. array_length(wanted, 1) loop
    if not exists (
      select from pg_catalog.pg_db_role_setting d
      where d.setrole = wanted[i][1]::regrole and d.setdatabase = 0
        and d.setconfig @> array['statement_timeout=' || wanted[i][2]]
    ) then
      execute format('alter role %I set statement_timeout = %L', wanted[i][1], wanted[i][2]);
    end if;
  end loop;
end
$$;
