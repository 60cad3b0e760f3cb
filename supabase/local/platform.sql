-- Local platform shim: the minimal pieces of a Supabase project that our
-- migrations rely on, for plain Postgres and PGlite. Never part of
-- supabase/migrations/: on Supabase these already exist and are Supabase's.
--
-- Everything here is created only where absent, so running it against a real
-- Supabase database (or twice) changes nothing. Roles are server-wide: a fresh
-- database on a server that served another one already has them.

do $$
begin
  if not exists (select from pg_roles where rolname = 'anon') then
    create role anon nologin noinherit;
  end if;
  if not exists (select from pg_roles where rolname = 'authenticated') then
    create role authenticated nologin noinherit;
  end if;
  if not exists (select from pg_roles where rolname = 'service_role') then
    create role service_role nologin noinherit bypassrls;
  end if;
end
$$;

-- The connecting role switches to these per transaction, as PostgREST does.
do $$
begin
  execute format('grant anon, authenticated, service_role to %I', current_user);
end
$$;

create schema if not exists extensions;
grant usage on schema extensions to anon, authenticated, service_role;

-- Supabase's defaults for the exposed schema: the roles get privileges, RLS decides rows.
grant usage on schema public to anon, authenticated, service_role;
alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;
alter default privileges in schema public grant all on functions to anon, authenticated, service_role;

create schema if not exists auth;
grant usage on schema auth to anon, authenticated, service_role;

-- GoTrue's columns that we read or that a seed needs to sign in on real Supabase Auth.
create table if not exists auth.users (
  instance_id uuid,
  id uuid primary key,
  aud varchar(255),
  role varchar(255),
  email varchar(255),
  encrypted_password varchar(255),
  email_confirmed_at timestamptz,
  invited_at timestamptz,
  confirmation_token varchar(255) default '',
  confirmation_sent_at timestamptz,
  recovery_token varchar(255) default '',
  recovery_sent_at timestamptz,
  email_change_token_new varchar(255) default '',
  email_change varchar(255) default '',
  email_change_sent_at timestamptz,
  last_sign_in_at timestamptz,
  raw_app_meta_data jsonb,
  raw_user_meta_data jsonb,
  is_super_admin boolean,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  phone text unique,
  phone_confirmed_at timestamptz,
  banned_until timestamptz,
  is_sso_user boolean not null default false,
  deleted_at timestamptz,
  is_anonymous boolean not null default false
);
create unique index if not exists users_email_partial_key on auth.users (email) where is_sso_user = false;

create table if not exists auth.identities (
  id uuid primary key default gen_random_uuid(),
  provider_id text not null,
  user_id uuid not null references auth.users (id) on delete cascade,
  identity_data jsonb not null,
  provider text not null,
  last_sign_in_at timestamptz,
  created_at timestamptz default now(),
  updated_at timestamptz default now(),
  unique (provider_id, provider)
);
create index if not exists identities_user_id_idx on auth.identities (user_id);

-- Supabase's own definitions: the claims PostgREST (or our withUser) set for the transaction.
-- An empty setting means no user: a pooled connection that served a user returns '' afterwards.
do $$
begin
  if to_regprocedure('auth.uid()') is null then
    create function auth.uid() returns uuid
      language sql stable
      set search_path = ''
    as $f$
      select coalesce(
        nullif(current_setting('request.jwt.claim.sub', true), ''),
        (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
      )::uuid
    $f$;
  end if;
  if to_regprocedure('auth.role()') is null then
    create function auth.role() returns text
      language sql stable
      set search_path = ''
    as $f$
      select coalesce(
        nullif(current_setting('request.jwt.claim.role', true), ''),
        (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
      )::text
    $f$;
  end if;
  if to_regprocedure('auth.jwt()') is null then
    create function auth.jwt() returns jsonb
      language sql stable
      set search_path = ''
    as $f$
      select coalesce(
        nullif(current_setting('request.jwt.claim', true), ''),
        nullif(current_setting('request.jwt.claims', true), '')
      )::jsonb
    $f$;
  end if;
end
$$;

grant execute on function auth.uid(), auth.role(), auth.jwt() to anon, authenticated, service_role;

-- GoTrue's sessions and refresh tokens, for the local auth stand-in
-- (scripts/local/auth): the columns GoTrue defines, so a session signed in
-- locally looks as it would on Supabase Auth. Logging out deletes sessions;
-- their refresh tokens go with them (on delete cascade), as in GoTrue.
do $$
begin
  if to_regtype('auth.aal_level') is null then
    create type auth.aal_level as enum ('aal1', 'aal2', 'aal3');
  end if;
end
$$;

create table if not exists auth.sessions (
  id uuid primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  created_at timestamptz,
  updated_at timestamptz,
  factor_id uuid,
  aal auth.aal_level,
  not_after timestamptz,
  refreshed_at timestamp,
  user_agent text,
  ip inet,
  tag text
);
create index if not exists sessions_user_id_idx on auth.sessions (user_id);
create index if not exists user_id_created_at_idx on auth.sessions (user_id, created_at);
create index if not exists sessions_not_after_idx on auth.sessions (not_after desc);

create table if not exists auth.refresh_tokens (
  instance_id uuid,
  id bigserial primary key,
  token varchar(255) constraint refresh_tokens_token_unique unique,
  user_id varchar(255),
  revoked boolean,
  created_at timestamptz,
  updated_at timestamptz,
  parent varchar(255),
  session_id uuid references auth.sessions (id) on delete cascade
);
create index if not exists refresh_tokens_instance_id_idx on auth.refresh_tokens (instance_id);
create index if not exists refresh_tokens_instance_id_user_id_idx on auth.refresh_tokens (instance_id, user_id);
create index if not exists refresh_tokens_parent_idx on auth.refresh_tokens (parent);
create index if not exists refresh_tokens_session_id_revoked_idx on auth.refresh_tokens (session_id, revoked);
create index if not exists refresh_tokens_updated_at_idx on auth.refresh_tokens (updated_at desc);

-- Supabase Realtime's database side (its tenant migrations, github.com/supabase/realtime
-- priv/repo/tenant_schema/realtime): `realtime.messages`, whose RLS policies decide who
-- may join a private channel, and `realtime.topic()`, `realtime.send()`,
-- `realtime.broadcast_changes()` with Supabase's signatures and behaviour, so our
-- migrations' triggers and policies run here unchanged.
--
-- Local differences, all invisible to those migrations:
-- * the table is not partitioned by day: the local realtime server
--   (scripts/local/realtime) deletes old rows, as Supabase's janitor drops old partitions;
-- * Supabase's server reads new rows by logical replication; here an after-insert
--   trigger hands each row to the local server with pg_notify on `realtime_broadcast`
--   (delivered only when the writing transaction commits, as replication is).
--   NOTIFY payloads stop at 8000 bytes: a bigger message is announced by id, and the
--   server reads it from the table.
create schema if not exists realtime;
grant usage on schema realtime to anon, authenticated, service_role;

create table if not exists realtime.messages (
  topic text not null,
  extension text not null,
  payload jsonb,
  event text,
  private boolean default false,
  updated_at timestamp without time zone not null default now(),
  inserted_at timestamp without time zone not null default now(),
  id uuid not null default gen_random_uuid(),
  binary_payload bytea,
  constraint messages_payload_exclusive check (payload is null or binary_payload is null),
  constraint messages_pkey primary key (id, inserted_at)
);
create index if not exists messages_inserted_at_topic_index on realtime.messages (inserted_at desc, topic)
  where extension = 'broadcast' and private is true;
alter table realtime.messages enable row level security;
grant insert, select, update on table realtime.messages to anon, authenticated, service_role;

do $$
begin
  if to_regprocedure('realtime.topic()') is null then
    create function realtime.topic() returns text
      language sql stable
    as $f$
      select nullif(current_setting('realtime.topic', true), '')::text;
    $f$;
  end if;

  -- Not security definer, as on Supabase: the insert runs as the caller, under the
  -- insert policies. A failure is a warning, never the caller's error.
  if to_regprocedure('realtime.send(jsonb, text, text, boolean)') is null then
    create function realtime.send(payload jsonb, event text, topic text, private boolean default true)
      returns void
      language plpgsql
    as $f$
    declare
      generated_id uuid;
      final_payload jsonb;
    begin
      begin
        generated_id := gen_random_uuid();
        if payload ? 'id' then
          final_payload := payload;
        else
          final_payload := jsonb_set(payload, '{id}', to_jsonb(generated_id));
        end if;
        execute format('set local realtime.topic to %L', topic);
        insert into realtime.messages (id, payload, event, topic, private, extension)
        values (generated_id, final_payload, event, topic, private, 'broadcast');
      exception
        when others then
          raise warning 'WarnSendingBroadcastMessage: %', sqlerrm;
      end;
    end;
    $f$;
  end if;

  if to_regprocedure('realtime.broadcast_changes(text, text, text, text, text, record, record, text)') is null then
    create function realtime.broadcast_changes(
      topic_name text, event_name text, operation text, table_name text, table_schema text,
      new record, old record, level text default 'ROW'
    ) returns void
      language plpgsql
    as $f$
    declare
      row_data jsonb := '{}'::jsonb;
    begin
      if level = 'STATEMENT' then
        raise exception 'function can only be triggered for each row, not for each statement';
      end if;
      if operation = 'INSERT' or operation = 'UPDATE' or operation = 'DELETE' then
        row_data := jsonb_build_object('old_record', old, 'record', new, 'operation', operation,
                                       'table', table_name, 'schema', table_schema);
        perform realtime.send(row_data, event_name, topic_name);
      else
        raise exception 'Unexpected operation type: %', operation;
      end if;
    exception
      when others then
        raise exception 'Failed to process the row: %', sqlerrm;
    end;
    $f$;
  end if;

  -- Local only: hands a committed message to the local realtime server.
  if to_regprocedure('realtime.notify_local_server()') is null then
    create function realtime.notify_local_server() returns trigger
      language plpgsql
      set search_path = ''
    as $f$
    declare
      message text;
    begin
      if new.extension <> 'broadcast' then
        return null;
      end if;
      message := json_build_object('id', new.id, 'topic', new.topic, 'event', new.event,
                                   'private', new.private, 'payload', new.payload)::text;
      if octet_length(message) > 7900 or new.binary_payload is not null then
        message := json_build_object('id', new.id, 'topic', new.topic, 'inserted_at', new.inserted_at,
                                     'truncated', true)::text;
      end if;
      perform pg_notify('realtime_broadcast', message);
      return null;
    end
    $f$;
  end if;
end
$$;

do $$
begin
  if not exists (
    select from pg_trigger
    where tgrelid = 'realtime.messages'::regclass and tgname = 'messages_notify_local_server'
  ) then
    create trigger messages_notify_local_server after insert on realtime.messages
      for each row execute function realtime.notify_local_server();
  end if;
end
$$;

-- Supabase leaves these callable by every API role; an existing local database may
-- have revoked PUBLIC's default before this section was added.
grant execute on function realtime.topic(), realtime.send(jsonb, text, text, boolean),
  realtime.broadcast_changes(text, text, text, text, text, record, record, text)
  to anon, authenticated, service_role;
