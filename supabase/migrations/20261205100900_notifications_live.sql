-- Why: issue 19. An overdue task should reach its assignee live, not only when
-- they next open the notification list. Notifications are their recipient's
-- alone, so they cannot travel on the organization's topic; each user gets a
-- topic of their own, `user:<user id>`, that only they may join (not even an
-- owner of their organization), and on which nobody broadcasts from a client
-- (only the database speaks there). A new notification and a change of its
-- read state are sent there, as every other change is sent on its topic
-- (private.broadcast_row_change). The topic is the user's for life: leaving
-- an organization deletes its notifications, and nothing else is sent there.

create or replace function private.can_receive_realtime_topic(p_topic text) returns boolean
  language plpgsql stable
  security definer
  set search_path = ''
as $$
declare
  uuid_pattern constant text := '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
  kind text := split_part(p_topic, ':', 1);
  id text := substr(p_topic, length(split_part(p_topic, ':', 1)) + 2);
  org uuid;
begin
  -- PL/pgSQL, not SQL: never inlined, so the uuid cast runs only after the shape is checked.
  if p_topic is null or id !~ uuid_pattern then
    return false;
  end if;
  if kind = 'org' then
    select k.org_id into org from private.org_live_keys k where k.live_key = id::uuid;
    if org is null and not exists (select from private.org_live_keys k where k.org_id = id::uuid) then
      org := id::uuid;
    end if;
    return org is not null and private.is_org_member(org);
  elsif kind = 'chat' then
    return private.owns_chat_session(id::uuid);
  elsif kind = 'user' then
    return id::uuid = (select auth.uid());
  end if;
  return false;
end
$$;

create trigger notifications_broadcast after insert or update of read_at on public.notifications
  for each row execute function private.broadcast_row_change(
    'user', 'user_id', 'org_id', 'kind', 'task_id', 'title', 'created_at', 'read_at');
