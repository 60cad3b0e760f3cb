-- Why: issue 17, hole 4. 20261125100900 made created_at, a note's date and a
-- document's uploader the database's, but on insert a signed-in user still
-- chose other values the server owns:
-- * updated_at: a new row could claim any last change (it is also the row's
--   version, sent as its ETag and compared by If-Match);
-- * created_by of an integration (an organization's was refused by its policy
--   when it named someone else; now it is simply the caller's, as everywhere);
-- * row ids. An organization's id names its realtime topic and its Storage
--   folder: whoever re-created a deleted organization's id would own its
--   left-over files and recent broadcasts. A chat session's id names its topic,
--   an integration's its webhook URL. No other row's id is the client's to
--   pick either (the API never needs to: it reads the id back with `returning`).
-- And on update, the id of a customer or of a customer's child could change.
--
-- As in 20261125100900, the stamps apply to `authenticated` only: rows written
-- by the service role, jobs and seeds keep the values they carry (imports,
-- history). Ids never change, whoever asks. Documents are left to their own
-- migrations (issue 17, hole 1): their Storage paths are built from their ids.

-- updated_at: the database's clock on every update (as before) and on a
-- signed-in user's insert.
create or replace function private.set_updated_at() returns trigger
  language plpgsql
  set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' or current_user = 'authenticated' then
    new.updated_at := now();
  end if;
  return new;
end
$$;

-- Every table of the exposed schema that has the column (tests/catalogue.test.ts
-- holds later tables to the same).
do $$
declare
  t text;
begin
  for t in
    select c.relname from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attname = 'updated_at' and not a.attisdropped
    where n.nspname = 'public' and c.relkind in ('r', 'p')
    order by 1
  loop
    if exists (select from pg_trigger where tgrelid = format('public.%I', t)::regclass
                                      and tgname = t || '_set_updated_at') then
      execute format('drop trigger %1$s_set_updated_at on public.%1$I', t);
    end if;
    execute format('create trigger %1$s_set_updated_at before insert or update on public.%1$I
                      for each row execute function private.set_updated_at()', t);
  end loop;
end
$$;

-- The creator of an organization or an integration is whoever signed in.
create function private.stamp_created_by() returns trigger
  language plpgsql
  set search_path = ''
as $$
begin
  if current_user = 'authenticated' then
    new.created_by := (select auth.uid());
  end if;
  return new;
end
$$;

create trigger organizations_stamp_created_by before insert on public.organizations
  for each row execute function private.stamp_created_by();
create trigger integrations_stamp_created_by before insert on public.integrations
  for each row execute function private.stamp_created_by();

-- A signed-in user's new row gets a fresh id, whatever id it names.
create function private.stamp_new_id() returns trigger
  language plpgsql
  set search_path = ''
as $$
begin
  if current_user = 'authenticated' then
    new.id := gen_random_uuid();
  end if;
  return new;
end
$$;

-- A row keeps its id for life: references, topics, paths and caches name it.
create function private.forbid_id_change() returns trigger
  language plpgsql
  set search_path = ''
as $$
begin
  if new.id is distinct from old.id then
    raise exception 'id cannot be changed'
      using errcode = '42501', hint = 'A row keeps its id for life.';
  end if;
  return new;
end
$$;

do $$
declare
  t text;
begin
  foreach t in array array[
    'organizations', 'customers', 'contacts', 'teams', 'processes', 'services', 'timeline_events',
    'chat_sessions', 'chat_messages', 'integrations'
  ] loop
    execute format('create trigger %1$s_stamp_id before insert on public.%1$I
                      for each row execute function private.stamp_new_id()', t);
  end loop;
  -- The tables whose ids a signed-in user could update (the others grant update on named columns only).
  foreach t in array array['customers', 'contacts', 'teams', 'processes', 'services'] loop
    execute format('create trigger %1$s_forbid_id_change before update of id on public.%1$I
                      for each row execute function private.forbid_id_change()', t);
  end loop;
end
$$;
