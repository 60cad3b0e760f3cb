-- Why: Supabase Realtime authorises a private channel when it is joined (and
-- again only when the client sends a new access token), then delivers every
-- broadcast on that topic to it. A member removed from an organization while
-- their dashboard is open would go on hearing the organization's changes, with
-- their records, until they reconnect or their token expires (an hour). So an
-- organization's live topic is a key that changes whenever someone leaves it:
-- `org:<live key>`, where the key is the organization's id until its first
-- departure and a fresh random uuid after each one. The database broadcasts on
-- the current key only, and only current members may join it; the old topic
-- hears one last message, `topic_rotated`, that tells the members still there
-- to fetch their topic again (GET /me names it) and rejoin. A removed member
-- keeps nothing but a dead topic.

-- Rotated keys only: an organization without a row here uses its own id.
create table private.org_live_keys (
  org_id uuid primary key references public.organizations (id) on delete cascade,
  live_key uuid not null unique
);
alter table private.org_live_keys enable row level security;
revoke all on private.org_live_keys from public, anon, authenticated;
grant select, insert, update, delete on private.org_live_keys to service_role;

-- The organization's current live key (no membership check: callers check it, or
-- are the database's own triggers).
create function private.org_live_key(p_org_id uuid) returns uuid
  language sql stable
  security definer
  set search_path = ''
as $$
  select coalesce((select k.live_key from private.org_live_keys k where k.org_id = p_org_id), p_org_id)
$$;
revoke execute on function private.org_live_key(uuid) from public, anon, authenticated;
grant execute on function private.org_live_key(uuid) to service_role;

-- `org:<live key>` for the caller's organizations, null for any other.
create function private.my_live_topic(p_org_id uuid) returns text
  language plpgsql stable
  security definer
  set search_path = ''
as $$
begin
  if not private.is_org_member(p_org_id) then
    return null;
  end if;
  return 'org:' || private.org_live_key(p_org_id)::text;
end
$$;
grant execute on function private.my_live_topic(uuid) to authenticated, service_role;

-- After someone leaves or is removed: a new key, and a last word on the old topic.
create function private.rotate_live_key() returns trigger
  language plpgsql
  security definer
  set search_path = ''
as $$
declare
  old_key uuid;
begin
  -- Deleting the organization cascades here: its topic goes with it.
  if not exists (select from public.organizations o where o.id = old.org_id) then
    return null;
  end if;
  old_key := private.org_live_key(old.org_id);
  insert into private.org_live_keys (org_id, live_key) values (old.org_id, gen_random_uuid())
  on conflict (org_id) do update set live_key = excluded.live_key;
  perform realtime.send(jsonb_build_object('reason', 'membership_ended'), 'topic_rotated',
                        'org:' || old_key::text, true);
  return null;
end
$$;

create trigger memberships_rotate_live_key after delete on public.memberships
  for each row execute function private.rotate_live_key();

-- Who may join: `org:<uuid>` names the organization whose current key it is (an
-- organization's id names it until its first rotation, never afterwards).
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
  end if;
  return false;
end
$$;

-- The same broadcast, on the organization's current live key.
create or replace function private.broadcast_row_change() returns trigger
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
                        tg_argv[0] || ':' || case when tg_argv[0] = 'org'
                          then private.org_live_key((source_row ->> tg_argv[1])::uuid)::text
                          else source_row ->> tg_argv[1] end, true);
  return null;
end
$$;
