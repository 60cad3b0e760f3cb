-- Why: issue 17, hole 3. The API roles held every privilege on our tables
-- (`grant all`: Supabase's old default for new tables in `public`, which the
-- local platform shim copies), including four no client needs, one of which
-- ignores RLS:
-- * TRUNCATE empties a table, every tenant at once, past RLS;
-- * TRIGGER attaches a function of one's choosing to every tenant's writes;
-- * REFERENCES lets a foreign key look up (and lock) rows RLS hides: the key
--   check runs as the referenced table's owner;
-- * MAINTAIN (Postgres 17 and later: Supabase 17, PGlite) reindexes, clusters
--   and vacuums, taking strong locks.
-- PostgREST never sends these, but the database is the boundary. Nobody needs
-- a sequence either: job_runs' identity column draws its numbers without any
-- privilege on its sequence (only a serial default, nextval(), would need one).
--
-- Every existing table gets here exactly what its policies use, stated in one
-- place, and the default privileges of the role running the migrations
-- (`postgres` on Supabase, the connecting superuser elsewhere) make later
-- tables in `public` born the same way on every platform:
-- * authenticated and service_role: select, insert, update, delete; RLS, each
--   table's own revokes and column grants narrow them (tests/catalogue.test.ts
--   fails on a privilege no policy uses);
-- * anon: nothing (20261125100000);
-- * nobody: truncate, trigger, references, maintain, or any sequence privilege.
-- Granting the four is not a widening. Supabase stopped granting new tables in
-- `public` to the API roles by itself ("Securing your API": new projects from
-- 30 May 2026, every project from 30 October 2026), so without this a new
-- project would get tables that neither a signed-in user nor the service role
-- could reach, while the local shim still granted everything. Objects created
-- by Supabase's own roles (supabase_admin's default privileges, `auth`,
-- `storage`, `realtime`) are the platform's: a role can change only its own
-- defaults, and realtime.messages gets select, insert and update only.

revoke truncate, trigger, references on all tables in schema public, private
  from public, anon, authenticated, service_role;
revoke all on all sequences in schema public, private from public, anon, authenticated, service_role;

alter default privileges in schema public
  grant select, insert, update, delete on tables to authenticated, service_role;
alter default privileges in schema public
  revoke truncate, trigger, references on tables from public, anon, authenticated, service_role;
alter default privileges in schema public
  revoke all on sequences from public, anon, authenticated, service_role;

-- MAINTAIN exists from Postgres 17 on; on 15 the word is a syntax error.
do $$
begin
  if current_setting('server_version_num')::int >= 170000 then
    execute 'revoke maintain on all tables in schema public, private
               from public, anon, authenticated, service_role';
    execute 'alter default privileges in schema public
               revoke maintain on tables from public, anon, authenticated, service_role';
  end if;
end
$$;

-- The service role writes every table of the exposed schema (jobs, webhooks, seeds).
grant select, insert, update, delete on all tables in schema public to service_role;

-- Signed-in users: the commands each table's policies allow, no more.
grant select, insert, update, delete on public.customers, public.contacts, public.teams, public.processes,
  public.services, public.documents to authenticated;
-- A link to an external id is made or removed, never edited (no update policy).
grant select, insert, delete on public.customer_external_ids to authenticated;
grant select, insert, delete on public.organizations, public.memberships, public.chat_sessions,
  public.integrations to authenticated;
grant select, insert on public.timeline_events, public.chat_messages, public.idempotency_keys to authenticated;
-- Profiles are created by the auth trigger and go with their auth user: no insert or delete policy.
grant select on public.users, public.daily_metrics, public.webhook_events, public.integration_objects
  to authenticated;
revoke insert, delete on public.users from authenticated;
revoke update on public.customer_external_ids from authenticated;

-- The columns a signed-in user changes where not every column is theirs, as
-- their tables' migrations granted them (restated here: this is the list).
grant update (name, time_zone) on public.organizations to authenticated;
grant update (role) on public.memberships to authenticated;
grant update (username, display_name) on public.users to authenticated;
grant update (title) on public.chat_sessions to authenticated;
grant update (status, response) on public.idempotency_keys to authenticated;
grant update (name, enabled, mapping) on public.integrations to authenticated;
