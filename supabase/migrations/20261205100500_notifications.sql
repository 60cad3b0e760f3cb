-- Why: issue 19. A task past its due time should reach its assignee even when
-- nobody opens the customer: an in-app notification, with read and unread.
--
-- A notification is its recipient's alone: only they read it, and all they
-- change is whether it is read (read_at; null is unread). Nobody else sees
-- one, not even the organization's owner. It belongs to the recipient's
-- membership (composite key into memberships): when they leave, their
-- notifications about the organization go with it.
--
-- Only the database writes them: private.notify_overdue_tasks(), executable
-- by the service role alone (a scheduled job calls it), notifies each open,
-- assigned task past its due time once per task and assignee (a unique key:
-- running it again, or twice at once, sends nothing new).

create table public.notifications (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  user_id uuid not null,
  kind text not null,
  task_id uuid,
  title text not null,
  created_at timestamptz not null default now(),
  read_at timestamptz,
  constraint notifications_kind_known check (kind = any (array['task_overdue'])),
  constraint notifications_title_length check (length(btrim(title)) between 1 and 300),
  constraint notifications_once_per_task unique (task_id, user_id, kind),
  foreign key (org_id, user_id) references public.memberships (org_id, user_id) on delete cascade,
  foreign key (task_id, org_id) references public.tasks (id, org_id) on delete cascade
);
-- The recipient's list, newest first (the policy's column leads).
create index notifications_user_idx on public.notifications (user_id, org_id, created_at, id);
create index notifications_task_idx on public.notifications (task_id, org_id);

create trigger notifications_forbid_org_change before update on public.notifications
  for each row execute function private.forbid_org_change();

alter table public.notifications enable row level security;

create policy "Notifications are visible to their recipient only"
  on public.notifications for select to authenticated
  using (user_id = (select auth.uid()));

create policy "Notifications are marked read or unread by their recipient"
  on public.notifications for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));

revoke insert, update, delete on public.notifications from authenticated;
grant select on public.notifications to authenticated;
grant update (read_at) on public.notifications to authenticated;

-- Notifies each assignee of their open tasks past due, once per task; returns how many it sent.
create function private.notify_overdue_tasks(p_now timestamptz default now()) returns integer
  language plpgsql
  security definer
  set search_path = ''
as $$
declare
  sent integer;
begin
  insert into public.notifications (org_id, user_id, kind, task_id, title, created_at)
  select t.org_id, t.assignee_id, 'task_overdue', t.id, left(format('Task overdue: %s', t.title), 300), p_now
  from public.tasks t
  where t.done_at is null and t.due_at < p_now and t.assignee_id is not null
  on conflict (task_id, user_id, kind) do nothing;
  get diagnostics sent = row_count;
  return sent;
end
$$;

revoke execute on function private.notify_overdue_tasks(timestamptz) from public, anon, authenticated;
grant execute on function private.notify_overdue_tasks(timestamptz) to service_role;
