-- Why: the dashboard updates live. Following Supabase's advice for Realtime at
-- scale, the database broadcasts its own changes on private topics instead of
-- every subscriber re-checking every change (postgres_changes):
-- * `org:<org_id>`: customers, their children (contacts, teams, processes,
--   services, documents) and timeline events, for every member of the
--   organization;
-- * `chat:<session_id>`: a chat session's messages and renames, for its user only.
-- Who may join a topic is RLS on `realtime.messages` (the Realtime server
-- probes the select policy with the joining user's token, `realtime.topic()`
-- naming the topic). Nobody broadcasts on an organization's topic from a
-- client (only the database speaks there, so a change event cannot be forged);
-- a chat's user may broadcast on their own chat topic (e.g. "typing" between
-- their own tabs), which nobody else can hear.
--
-- Payload, one message per changed row, event = the table's name:
--   {table, op, id, customer_id?, owner_id?, updated_at?, record}
-- `record` holds the published columns: all of them on INSERT, only those that
-- changed on UPDATE (an update changing none sends nothing), none on DELETE.
-- customer_id, a customer's owner_id and updated_at travel with every message
-- of a table that has them (to route it, to notify an owner, to order it).
-- Only columns every member of the topic may read are published (the same as
-- the tables' select policies allow); chat content only on its chat topic.
--
-- Cheap and never in the way: one row-level trigger building one jsonb and one
-- realtime.send call; realtime.send catches every error itself (a WARNING, as
-- on Supabase), so a failed broadcast never fails the user's write. Events are
-- never the only copy of anything: clients re-fetch after a reconnect. Deleting
-- a customer sends one message for it, not one per cascaded child; deleting an
-- organization sends nothing (its topic goes with it). Seeds run with triggers
-- off (replica), so they send nothing. The trigger function is security definer so its insert into
-- realtime.messages is the database's own, not subject to the writer's RLS.

create function private.broadcast_row_change() returns trigger
  language plpgsql
  security definer
  set search_path = ''
as $$
declare
  -- tg_argv: topic prefix, the column naming the topic's id, then the published columns.
  new_row jsonb := case when tg_op <> 'DELETE' then to_jsonb(new) end;
  old_row jsonb := case when tg_op <> 'INSERT' then to_jsonb(old) end;
  source_row jsonb := coalesce(new_row, old_row);
  published jsonb;
  message jsonb;
begin
  if tg_op = 'DELETE' then
    -- A cascade from a deleted organization or customer: the parent's own message says it all.
    if not exists (select from public.organizations o where o.id = (source_row ->> 'org_id')::uuid) then
      return null;
    end if;
    if tg_table_name <> 'customers' and source_row ? 'customer_id'
       and not exists (select from public.customers c where c.id = (source_row ->> 'customer_id')::uuid) then
      return null;
    end if;
    published := '{}';
  else
    select coalesce(jsonb_object_agg(col, new_row -> col), '{}') into published
    from unnest(tg_argv[2:]) col
    where tg_op = 'INSERT' or (new_row -> col) is distinct from (old_row -> col);
    if tg_op = 'UPDATE' and published = '{}' then
      return null;
    end if;
  end if;

  message := jsonb_build_object('table', tg_table_name, 'op', tg_op, 'id', source_row -> 'id');
  if source_row ? 'customer_id' then
    message := message || jsonb_build_object('customer_id', source_row -> 'customer_id');
  end if;
  if source_row ? 'owner_id' then
    message := message || jsonb_build_object('owner_id', source_row -> 'owner_id');
  end if;
  if source_row ? 'updated_at' then
    message := message || jsonb_build_object('updated_at', source_row -> 'updated_at');
  end if;
  perform realtime.send(message || jsonb_build_object('record', published), tg_table_name,
                        tg_argv[0] || ':' || (source_row ->> tg_argv[1]), true);
  return null;
end
$$;

create trigger customers_broadcast after insert or update or delete on public.customers
  for each row execute function private.broadcast_row_change(
    'org', 'org_id', 'name', 'phase', 'owner_id', 'created_at');
create trigger contacts_broadcast after insert or update or delete on public.contacts
  for each row execute function private.broadcast_row_change(
    'org', 'org_id', 'name', 'email', 'phone', 'role', 'created_at');
create trigger teams_broadcast after insert or update or delete on public.teams
  for each row execute function private.broadcast_row_change(
    'org', 'org_id', 'name', 'finance_code', 'created_at');
create trigger processes_broadcast after insert or update or delete on public.processes
  for each row execute function private.broadcast_row_change(
    'org', 'org_id', 'name', 'status', 'phase', 'created_at');
create trigger services_broadcast after insert or update or delete on public.services
  for each row execute function private.broadcast_row_change(
    'org', 'org_id', 'name', 'monthly_hours', 'created_at');
-- storage_path stays out: members reach files through the API's signed URLs.
create trigger documents_broadcast after insert or update or delete on public.documents
  for each row execute function private.broadcast_row_change(
    'org', 'org_id', 'name', 'category', 'size_bytes', 'content_type', 'status', 'uploaded_by',
    'uploaded_at', 'created_at');
-- Events are immutable: only their creation is news.
create trigger timeline_events_broadcast after insert on public.timeline_events
  for each row execute function private.broadcast_row_change(
    'org', 'org_id', 'type', 'description', 'occurred_at', 'actor_id', 'payload');
-- Each new message bumps its session's updated_at: only a rename or a deletion is news.
create trigger chat_sessions_broadcast after update of title or delete on public.chat_sessions
  for each row execute function private.broadcast_row_change('chat', 'id', 'title');
create trigger chat_messages_broadcast after insert on public.chat_messages
  for each row execute function private.broadcast_row_change(
    'chat', 'session_id', 'session_id', 'role', 'content', 'created_at');

-- `org:<uuid>` for the organization's members, `chat:<uuid>` for the session's user;
-- any other topic, or a malformed one, for nobody.
create function private.can_receive_realtime_topic(p_topic text) returns boolean
  language plpgsql stable
  security definer
  set search_path = ''
as $$
declare
  uuid_pattern constant text := '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
  kind text := split_part(p_topic, ':', 1);
  id text := substr(p_topic, length(split_part(p_topic, ':', 1)) + 2);
begin
  -- PL/pgSQL, not SQL: never inlined, so the uuid cast runs only after the shape is checked.
  if p_topic is null or id !~ uuid_pattern then
    return false;
  end if;
  if kind = 'org' then
    return private.is_org_member(id::uuid);
  elsif kind = 'chat' then
    return private.owns_chat_session(id::uuid);
  end if;
  return false;
end
$$;

-- Client broadcasts: only on one's own chat topic.
create function private.can_send_realtime_topic(p_topic text) returns boolean
  language plpgsql stable
  security definer
  set search_path = ''
as $$
begin
  return p_topic like 'chat:%' and private.can_receive_realtime_topic(p_topic);
end
$$;

grant execute on function private.can_receive_realtime_topic(text), private.can_send_realtime_topic(text)
  to authenticated, service_role;

-- The row's topic must be the one being probed: setting realtime.topic to one's own
-- organization must not reveal another topic's stored messages.
create policy "Members receive their organization's topic, a chat's user its chat topic"
  on realtime.messages for select to authenticated
  using (
    extension = 'broadcast'
    and topic = (select realtime.topic())
    and private.can_receive_realtime_topic((select realtime.topic()))
  );

create policy "A chat's user broadcasts on its chat topic, nobody on an organization's"
  on realtime.messages for insert to authenticated
  with check (
    extension = 'broadcast'
    and topic = (select realtime.topic())
    and private.can_send_realtime_topic((select realtime.topic()))
  );
