-- Why: issue 19. "What to do next" is a task: about a customer, for one member
-- (the assignee, who must belong to the organization: composite key into
-- memberships; unassigned when they leave), with a title, a due time and the
-- time it was done.
--
-- Members read every task of their organization. Managers and up write every
-- task; a rep (or anyone above a viewer) writes the tasks assigned to them and
-- may create tasks for themselves, but handing a task to someone else is a
-- manager's decision (the policies' with-check refuses it). Viewers write
-- nothing, as everywhere.
--
-- Completing a task is part of the customer's story: the database writes a
-- task_completed timeline event in the same transaction. The moment it was
-- done is the database's clock for a signed-in user (done_at is theirs to set
-- or clear, not to backdate); reopening a task clears it. A task is placed
-- under its customer once (no update grant on customer_id or org_id), and
-- created_by is whoever created it. The service role (imports, seeds) keeps
-- the values it gives.

create table public.tasks (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  customer_id uuid not null,
  assignee_id uuid,
  title text not null,
  due_at timestamptz,
  done_at timestamptz,
  created_by uuid references public.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint tasks_title_not_blank check (length(btrim(title)) between 1 and 200),
  -- Notifications reference (id, org_id), so none can point into another tenant.
  constraint tasks_id_org_id_key unique (id, org_id),
  foreign key (customer_id, org_id) references public.customers (id, org_id) on delete cascade,
  constraint tasks_assignee_is_member foreign key (org_id, assignee_id)
    references public.memberships (org_id, user_id) on delete set null (assignee_id)
);
-- A customer's tasks by due time; "my open tasks" by due time; the overdue sweep.
create index tasks_customer_idx on public.tasks (customer_id, org_id, due_at);
create index tasks_org_assignee_idx on public.tasks (org_id, assignee_id, due_at);
create index tasks_open_due_idx on public.tasks (due_at) where done_at is null and assignee_id is not null;
create index tasks_created_by_idx on public.tasks (created_by);

create trigger tasks_set_updated_at before insert or update on public.tasks
  for each row execute function private.set_updated_at();
create trigger tasks_forbid_org_change before update on public.tasks
  for each row execute function private.forbid_org_change();
create trigger tasks_stamp_id before insert on public.tasks
  for each row execute function private.stamp_new_id();
create trigger tasks_forbid_id_change before update of id on public.tasks
  for each row execute function private.forbid_id_change();

-- Whether the caller may write a task of this organization assigned to this member.
create function private.can_write_task(p_org_id uuid, p_assignee_id uuid) returns boolean
  language plpgsql stable
  security definer
  set search_path = ''
as $$
begin
  return exists (
    select from public.memberships m
    where m.org_id = p_org_id
      and m.user_id = (select auth.uid())
      and (m.role >= 'manager' or (m.role >= 'rep' and p_assignee_id = m.user_id))
  );
end
$$;

grant execute on function private.can_write_task(uuid, uuid) to authenticated, service_role;

-- done_at: the database's clock when a signed-in user completes a task, kept as
-- it was when they change it again, cleared when they reopen it.
create function private.stamp_task_done_at() returns trigger
  language plpgsql
  set search_path = ''
as $$
begin
  if current_user = 'authenticated' then
    if tg_op = 'INSERT' then
      new.done_at := case when new.done_at is not null then now() end;
    elsif new.done_at is not null then
      new.done_at := coalesce(old.done_at, now());
    end if;
  end if;
  return new;
end
$$;

create trigger tasks_stamp_done_at before insert or update of done_at on public.tasks
  for each row execute function private.stamp_task_done_at();

create function private.task_timeline() returns trigger
  language plpgsql
  security definer
  set search_path = ''
as $$
begin
  if new.done_at is not null and (tg_op = 'INSERT' or old.done_at is null) then
    perform private.record_timeline_event(new.org_id, new.customer_id, 'task_completed',
      format('Task %s completed', new.title),
      jsonb_build_object('task_id', new.id, 'title', new.title, 'assignee_id', new.assignee_id));
  end if;
  return null;
end
$$;

create trigger tasks_timeline after insert or update of done_at on public.tasks
  for each row execute function private.task_timeline();

alter table public.tasks enable row level security;

create policy "Tasks are visible to members of the organization"
  on public.tasks for select to authenticated
  using (org_id in (select private.member_org_ids()));

create policy "Tasks are created by managers for anyone, by others for themselves"
  on public.tasks for insert to authenticated
  with check (private.can_write_task(org_id, assignee_id));

create policy "Tasks are edited by their assignee or a manager"
  on public.tasks for update to authenticated
  using (private.can_write_task(org_id, assignee_id))
  with check (private.can_write_task(org_id, assignee_id));

create policy "Tasks are deleted by their assignee or a manager"
  on public.tasks for delete to authenticated
  using (private.can_write_task(org_id, assignee_id));

revoke insert, update on public.tasks from authenticated;
grant select, delete on public.tasks to authenticated;
grant insert (org_id, customer_id, assignee_id, title, due_at, done_at) on public.tasks to authenticated;
grant update (assignee_id, title, due_at, done_at) on public.tasks to authenticated;

-- Members see tasks come and go live, on the organization's topic.
create trigger tasks_broadcast after insert or update or delete on public.tasks
  for each row execute function private.broadcast_row_change(
    'org', 'org_id', 'assignee_id', 'title', 'due_at', 'done_at', 'created_by', 'created_at');
