-- Why: issue 19. A deal being worked has a date it is expected to close and a
-- next step; both are the rep's to write. How long a customer has been in its
-- current phase is a fact the database records: phase_entered_at is stamped
-- when a customer is created and whenever its phase changes (the same moments
-- the timeline records), so "days in phase" and "stuck" need no scan of the
-- timeline. Clients hold no grant on it; the trigger also stamps it for a
-- signed-in user's insert, whatever they send. Rows written by the service
-- role, jobs and seeds keep the value they carry on insert (imports, history),
-- and a phase change stamps it unless the same statement sets it explicitly.
--
-- Existing customers get theirs from the timeline: the moment of the last
-- phase_changed event into their current phase, else their creation. The
-- backfill changes nothing a member sees as an edit: updated_at and the
-- realtime broadcast stay off for it.

alter table public.customers
  add column expected_close_date date,
  add column next_step text,
  add column phase_entered_at timestamptz not null default now(),
  add constraint customers_next_step_length check (next_step is null or length(btrim(next_step)) between 1 and 500);

-- "How long in this phase" lists and the stuck figure read it per organization and phase.
create index customers_org_phase_entered_idx on public.customers (org_id, phase, phase_entered_at);

grant update (expected_close_date, next_step) on public.customers to authenticated;

create function private.stamp_phase_entered_at() returns trigger
  language plpgsql
  set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    if current_user = 'authenticated' then
      new.phase_entered_at := now();
    end if;
  elsif new.phase is distinct from old.phase then
    if current_user = 'authenticated' or new.phase_entered_at is not distinct from old.phase_entered_at then
      new.phase_entered_at := now();
    end if;
  elsif current_user = 'authenticated' then
    new.phase_entered_at := old.phase_entered_at;
  end if;
  return new;
end
$$;

create trigger customers_stamp_phase_entered_at before insert or update on public.customers
  for each row execute function private.stamp_phase_entered_at();

alter table public.customers disable trigger customers_set_updated_at;
alter table public.customers disable trigger customers_broadcast;
update public.customers c
set phase_entered_at = coalesce(
  (select max(e.occurred_at) from public.timeline_events e
   where e.customer_id = c.id and e.org_id = c.org_id and e.type = 'phase_changed'
     and e.payload ->> 'new_phase' = c.phase::text),
  c.created_at
);
alter table public.customers enable trigger customers_set_updated_at;
alter table public.customers enable trigger customers_broadcast;
