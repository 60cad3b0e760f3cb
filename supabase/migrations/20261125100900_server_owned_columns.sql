-- Why: some columns are facts the database records, not values a client
-- chooses. Through the API, clients never send them; these triggers make the
-- same true for anyone holding a user's token who talks to Postgres another
-- way (PostgREST, a future endpoint, a bug), so the audit trail cannot be
-- backdated or misattributed:
-- * created_at is set once: a signed-in user's insert gets now(), and no update
--   by anyone changes it;
-- * a note a user adds to the timeline happens now (that it is in their own name
--   is the insert policy's job: another name is refused, not rewritten);
-- * a document is uploaded by whoever inserts it, for good.
-- Rows written by the service role, jobs and seeds (not `authenticated`) keep
-- the values they carry, so imports and history stay possible.

create function private.stamp_created_at() returns trigger
  language plpgsql
  set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    if current_user = 'authenticated' then
      new.created_at := now();
    end if;
  else
    new.created_at := old.created_at;
  end if;
  return new;
end
$$;

do $$
declare
  t text;
begin
  foreach t in array array[
    'organizations', 'memberships', 'users', 'customers', 'customer_external_ids', 'contacts', 'teams',
    'processes', 'services', 'documents', 'chat_sessions', 'chat_messages', 'idempotency_keys'
  ] loop
    execute format('create trigger %1$s_stamp_created_at before insert or update on public.%1$I
                      for each row execute function private.stamp_created_at()', t);
  end loop;
end
$$;

create function private.stamp_user_note() returns trigger
  language plpgsql
  set search_path = ''
as $$
begin
  if current_user = 'authenticated' then
    new.occurred_at := now();
  end if;
  return new;
end
$$;

create trigger timeline_events_stamp_user_note before insert on public.timeline_events
  for each row execute function private.stamp_user_note();

create function private.stamp_document_uploader() returns trigger
  language plpgsql
  set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    if current_user = 'authenticated' then
      new.uploaded_by := (select auth.uid());
    end if;
  elsif new.uploaded_by is distinct from old.uploaded_by and current_user = 'authenticated' then
    raise exception 'uploaded_by cannot be changed' using errcode = '42501';
  end if;
  return new;
end
$$;

create trigger documents_stamp_uploader before insert or update on public.documents
  for each row execute function private.stamp_document_uploader();
