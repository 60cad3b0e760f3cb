-- Why: the timeline is the customer's audit trail, written by the database, not
-- by clients: creation, phase and owner changes, process status changes, new
-- documents and deletion are recorded by triggers in the same transaction as the
-- change, so no code path can skip them. People add notes; nobody edits or
-- deletes an event. When a customer is deleted its events stay, detached
-- (customer_id set null), with a final customer_deleted event.

create table public.timeline_events (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organizations (id) on delete cascade,
  customer_id uuid,
  type public.timeline_event_type not null default 'note',
  description text not null,
  occurred_at timestamptz not null default now(),
  actor_id uuid references public.users (id) on delete set null default auth.uid(),
  payload jsonb not null default '{}',
  constraint timeline_events_description_length check (length(btrim(description)) between 1 and 2000),
  constraint timeline_events_payload_object check (jsonb_typeof(payload) = 'object'),
  foreign key (customer_id, org_id) references public.customers (id, org_id) on delete set null (customer_id)
);
create index timeline_events_org_occurred_idx on public.timeline_events (org_id, occurred_at, id);
create index timeline_events_customer_idx on public.timeline_events (customer_id, org_id, occurred_at, id);
create index timeline_events_actor_idx on public.timeline_events (actor_id);

-- Events are immutable for clients; even the service role never moves one to another tenant.
create trigger timeline_events_forbid_org_change before update on public.timeline_events
  for each row execute function private.forbid_org_change();

alter table public.timeline_events enable row level security;

create policy "Timeline events are visible to members of the organization"
  on public.timeline_events for select to authenticated
  using (org_id in (select private.member_org_ids()));

-- Clients add notes, in their own name, on customers they may edit. Every other
-- event type is written by the triggers below (security definer).
create policy "Notes are added by whoever may edit the customer"
  on public.timeline_events for insert to authenticated
  with check (
    type = 'note'
    and actor_id = (select auth.uid())
    and customer_id is not null
    and private.can_write_customer_id(customer_id)
  );

-- No update or delete policy: events are immutable for everyone but the service role.
revoke update, delete on public.timeline_events from authenticated;

create function private.record_timeline_event(
  p_org_id uuid, p_customer_id uuid, p_type public.timeline_event_type,
  p_description text, p_payload jsonb
) returns void
  language sql
  security definer
  set search_path = ''
as $$
  insert into public.timeline_events (org_id, customer_id, type, description, actor_id, payload)
  values (p_org_id, p_customer_id, p_type, left(p_description, 2000), (select auth.uid()), p_payload)
$$;

create function private.customer_timeline() returns trigger
  language plpgsql
  security definer
  set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    perform private.record_timeline_event(new.org_id, new.id, 'customer_created',
      format('Customer %s created in phase %s', new.name, new.phase),
      jsonb_build_object('phase', new.phase, 'name', new.name));
  elsif tg_op = 'UPDATE' then
    if new.phase is distinct from old.phase then
      perform private.record_timeline_event(new.org_id, new.id, 'phase_changed',
        format('Phase changed from %s to %s', old.phase, new.phase),
        jsonb_build_object('old_phase', old.phase, 'new_phase', new.phase));
    end if;
    if new.owner_id is distinct from old.owner_id then
      perform private.record_timeline_event(new.org_id, new.id, 'owner_changed',
        'Owner changed',
        jsonb_build_object('old_owner_id', old.owner_id, 'new_owner_id', new.owner_id));
    end if;
  elsif tg_op = 'DELETE' then
    -- Skip when the whole organization is going away.
    if exists (select from public.organizations o where o.id = old.org_id) then
      perform private.record_timeline_event(old.org_id, null, 'customer_deleted',
        format('Customer %s deleted', old.name),
        jsonb_build_object('customer_id', old.id, 'name', old.name, 'phase', old.phase));
    end if;
  end if;
  return null;
end
$$;

create trigger customers_timeline after insert or update of phase, owner_id or delete on public.customers
  for each row execute function private.customer_timeline();

create function private.process_timeline() returns trigger
  language plpgsql
  security definer
  set search_path = ''
as $$
begin
  if new.status is distinct from old.status then
    perform private.record_timeline_event(new.org_id, new.customer_id, 'process_status_changed',
      format('Process %s: %s → %s', new.name, old.status, new.status),
      jsonb_build_object('process_id', new.id, 'old_status', old.status, 'new_status', new.status));
  end if;
  return null;
end
$$;

create trigger processes_timeline after update of status on public.processes
  for each row execute function private.process_timeline();

create function private.document_timeline() returns trigger
  language plpgsql
  security definer
  set search_path = ''
as $$
begin
  perform private.record_timeline_event(new.org_id, new.customer_id, 'document_added',
    format('Document %s added', new.name),
    jsonb_build_object('document_id', new.id, 'name', new.name, 'category', new.category));
  return null;
end
$$;

create trigger documents_timeline after insert on public.documents
  for each row execute function private.document_timeline();
