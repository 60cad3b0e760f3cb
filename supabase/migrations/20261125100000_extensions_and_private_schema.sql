-- Why: every later migration needs a place for extensions (Supabase keeps them in
-- `extensions`, and `supabase db reset` fails when one sits in `public`), trigram
-- search for customer names, and a `private` schema for the helpers our policies
-- call. `private` is never exposed through the API: only the roles that evaluate
-- policies may use it, and only its functions.

create schema if not exists extensions;
create extension if not exists pg_trgm with schema extensions;

create schema if not exists private;
revoke all on schema private from public;
grant usage on schema private to authenticated, service_role;

-- Functions created from here on are not executable by every role by default: a
-- role may call only what a migration grants it (`private` is usable by
-- authenticated, so a security definer helper left to PUBLIC would be callable
-- by every signed-in user). This must be global: per-schema default privileges
-- only add to the global ones and cannot take PostgreSQL's built-in EXECUTE for
-- PUBLIC away. Extensions' functions stay callable by whoever may use their schema.
alter default privileges revoke execute on functions from public;
alter default privileges in schema extensions grant execute on functions to public;

-- The exposed schema's tables are for signed-in users only: anon keeps no
-- privileges on them (RLS would hide the rows anyway; this is the second lock).
alter default privileges in schema public revoke all on tables from anon;
alter default privileges in schema public revoke all on sequences from anon;
alter default privileges in schema public revoke all on functions from anon;

-- Shared trigger: `updated_at` is the database's clock, not the client's.
create function private.set_updated_at() returns trigger
  language plpgsql
  set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end
$$;

-- Shared trigger: a row never moves to another tenant, whoever asks.
create function private.forbid_org_change() returns trigger
  language plpgsql
  set search_path = ''
as $$
begin
  if new.org_id is distinct from old.org_id then
    raise exception 'org_id cannot be changed'
      using errcode = '42501', hint = 'Rows never move between organizations.';
  end if;
  return new;
end
$$;
