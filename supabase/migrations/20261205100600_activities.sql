-- Why: issue 19. A sales team works by calls, emails and meetings; logging one,
-- with how it went, keeps the customer's story and shows who is being worked.
-- An activity is a typed record (kind and outcome from the vocabulary, a
-- summary, when it happened) and, like a document, the database writes its
-- timeline entry (activity_logged, dated when the activity happened, in the
-- name of whoever logged it) in the same transaction.
--
-- Whoever may edit the customer logs activities on it, in their own name
-- (actor_id is stamped, never the client's: no insert grant on it); members
-- read them. An activity happened before it was logged (a signed-in user
-- cannot log one in the future), and like the timeline it is never edited or
-- deleted by a user.

create table public.activities (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  customer_id uuid not null,
  kind text not null,
  outcome text not null,
  summary text,
  occurred_at timestamptz not null default now(),
  actor_id uuid references public.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  constraint activities_kind_known check (kind = any (array['call', 'email', 'meeting'])),
  constraint activities_outcome_known check (outcome = any (array[
    'completed', 'no_answer', 'left_message', 'follow_up', 'not_interested'
  ])),
  constraint activities_summary_length check (summary is null or length(btrim(summary)) between 1 and 2000),
  foreign key (customer_id, org_id) references public.customers (id, org_id) on delete cascade
);
create index activities_customer_idx on public.activities (customer_id, org_id, occurred_at, id);
create index activities_org_occurred_idx on public.activities (org_id, occurred_at, id);
create index activities_actor_idx on public.activities (actor_id);

create trigger activities_forbid_org_change before update on public.activities
  for each row execute function private.forbid_org_change();
create trigger activities_stamp_id before insert on public.activities
  for each row execute function private.stamp_new_id();

-- A signed-in user logs in their own name, at the database's clock, something already done.
create function private.stamp_activity() returns trigger
  language plpgsql
  set search_path = ''
as $$
begin
  if current_user = 'authenticated' then
    new.actor_id := (select auth.uid());
    new.created_at := now();
    if new.occurred_at > now() then
      raise exception 'an activity cannot be logged before it happens'
        using errcode = '23514', constraint = 'activities_occurred_in_past';
    end if;
  end if;
  return new;
end
$$;

create trigger activities_stamp before insert on public.activities
  for each row execute function private.stamp_activity();

create function private.activity_timeline() returns trigger
  language plpgsql
  security definer
  set search_path = ''
as $$
begin
  insert into public.timeline_events (org_id, customer_id, type, description, occurred_at, actor_id, payload)
  values (
    new.org_id, new.customer_id, 'activity_logged',
    left(format('%s: %s', initcap(new.kind), replace(new.outcome, '_', ' '))
         || coalesce(' — ' || new.summary, ''), 2000),
    new.occurred_at, new.actor_id,
    jsonb_build_object('activity_id', new.id, 'kind', new.kind, 'outcome', new.outcome)
  );
  return null;
end
$$;

create trigger activities_timeline after insert on public.activities
  for each row execute function private.activity_timeline();

alter table public.activities enable row level security;

create policy "Activities are visible to members of the organization"
  on public.activities for select to authenticated
  using (org_id in (select private.member_org_ids()));

create policy "Activities are logged by whoever may edit the customer"
  on public.activities for insert to authenticated
  with check (private.can_write_customer_id(customer_id));

revoke insert, update, delete on public.activities from authenticated;
grant select on public.activities to authenticated;
grant insert (org_id, customer_id, kind, outcome, summary, occurred_at) on public.activities to authenticated;

-- Members see activities live on the organization's topic (their timeline entries travel too).
create trigger activities_broadcast after insert or delete on public.activities
  for each row execute function private.broadcast_row_change(
    'org', 'org_id', 'kind', 'outcome', 'summary', 'occurred_at', 'actor_id', 'created_at');
