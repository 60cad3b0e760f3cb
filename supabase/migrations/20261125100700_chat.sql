-- Why: each person's chat sessions (e.g. with an assistant about their pipeline)
-- are private to them: not even an org owner reads someone else's. Sessions
-- live inside an organization so they disappear with it and membership still
-- gates them. Messages are append-only; clients write only their own turns
-- (role 'user'); assistant and system turns come from the service role.

create table public.chat_sessions (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  user_id uuid not null default auth.uid(),
  title text not null default 'New chat',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint chat_sessions_title_not_blank check (length(btrim(title)) between 1 and 200),
  constraint chat_sessions_id_org_id_key unique (id, org_id),
  foreign key (org_id, user_id) references public.memberships (org_id, user_id) on delete cascade
);
create index chat_sessions_user_idx on public.chat_sessions (user_id, org_id, updated_at desc);

create table public.chat_messages (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  session_id uuid not null,
  role public.chat_role not null default 'user',
  content text not null,
  created_at timestamptz not null default now(),
  constraint chat_messages_content_length check (length(content) between 1 and 20000),
  foreign key (session_id, org_id) references public.chat_sessions (id, org_id) on delete cascade
);
create index chat_messages_session_idx on public.chat_messages (session_id, org_id, created_at, id);

create trigger chat_sessions_set_updated_at before update on public.chat_sessions
  for each row execute function private.set_updated_at();
create trigger chat_sessions_forbid_org_change before update on public.chat_sessions
  for each row execute function private.forbid_org_change();
create trigger chat_messages_forbid_org_change before update on public.chat_messages
  for each row execute function private.forbid_org_change();

create function private.owns_chat_session(p_session_id uuid) returns boolean
  language sql stable
  security definer
  set search_path = ''
as $$
  select exists (
    select from public.chat_sessions s
    where s.id = p_session_id and s.user_id = (select auth.uid())
  )
$$;
grant execute on function private.owns_chat_session(uuid) to authenticated, service_role;

-- A new message bumps its session, so lists of sessions sort by last activity.
create function private.touch_chat_session() returns trigger
  language plpgsql
  security definer
  set search_path = ''
as $$
begin
  update public.chat_sessions set updated_at = now() where id = new.session_id;
  return null;
end
$$;

create trigger chat_messages_touch_session after insert on public.chat_messages
  for each row execute function private.touch_chat_session();

alter table public.chat_sessions enable row level security;
alter table public.chat_messages enable row level security;

create policy "Chat sessions are visible to their own user"
  on public.chat_sessions for select to authenticated
  using (user_id = (select auth.uid()) and org_id in (select private.member_org_ids()));

create policy "Chat sessions are started by members for themselves"
  on public.chat_sessions for insert to authenticated
  with check (user_id = (select auth.uid()) and org_id in (select private.member_org_ids()));

create policy "Chat sessions are renamed by their own user"
  on public.chat_sessions for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()) and org_id in (select private.member_org_ids()));

create policy "Chat sessions are deleted by their own user"
  on public.chat_sessions for delete to authenticated
  using (user_id = (select auth.uid()));

create policy "Chat messages are visible to the session's user"
  on public.chat_messages for select to authenticated
  using (private.owns_chat_session(session_id));

create policy "Chat messages are sent by the session's user, as the user"
  on public.chat_messages for insert to authenticated
  with check (role = 'user' and private.owns_chat_session(session_id));

revoke update, delete on public.chat_messages from authenticated;
-- A session's title is all its user may change.
revoke update on public.chat_sessions from authenticated;
grant update (title) on public.chat_sessions to authenticated;
