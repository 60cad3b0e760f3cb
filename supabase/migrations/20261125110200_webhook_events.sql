-- Why: a webhook delivery is stored before it is processed, so nothing is lost
-- when processing fails or the process dies after answering the sender. One row
-- per provider event: the unique (integration_id, event_id) makes a redelivery a
-- no-op. Processing claims a row (for update skip locked), applies it and marks
-- it processed in one transaction, so each event changes data exactly once;
-- a failure records the error and the attempt count and schedules a retry with
-- backoff; after the last attempt the event is dead-lettered for admins to see
-- and replay. Only the service role (the receiver and the retry job) writes here;
-- admins read.
--
-- integration_objects is the sync state per external object: which local row it
-- became, its last known properties and when each was last changed at the
-- source, so an older change arriving late never overwrites a newer one.

create table public.webhook_events (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  integration_id uuid not null,
  provider text not null,
  event_id text not null,
  body text not null,
  status text not null default 'pending',
  attempts integer not null default 0,
  last_error text,
  received_at timestamptz not null default now(),
  next_attempt_at timestamptz not null default now(),
  processed_at timestamptz,
  constraint webhook_events_status_known check (status in ('pending', 'failed', 'processed', 'ignored', 'dead')),
  constraint webhook_events_event_id_length check (length(event_id) between 1 and 300),
  constraint webhook_events_once_per_integration unique (integration_id, event_id),
  foreign key (integration_id, org_id) references public.integrations (id, org_id) on delete cascade
);
create index webhook_events_integration_idx on public.webhook_events (integration_id, org_id);
-- The retry path's queue: only rows still to do.
create index webhook_events_due_idx on public.webhook_events (next_attempt_at)
  where status in ('pending', 'failed');
-- The admin lists (dead letters first of all) per organization.
create index webhook_events_org_status_idx on public.webhook_events (org_id, status, received_at, id);

create table public.integration_objects (
  org_id uuid not null,
  integration_id uuid not null,
  kind text not null,
  external_id text not null,
  local_id uuid,
  properties jsonb not null default '{}',
  changed_at jsonb not null default '{}',
  deleted_at timestamptz,
  updated_at timestamptz not null default now(),
  primary key (integration_id, kind, external_id),
  constraint integration_objects_kind_known check (kind in ('customer', 'contact')),
  foreign key (integration_id, org_id) references public.integrations (id, org_id) on delete cascade
);
create index integration_objects_integration_org_idx on public.integration_objects (integration_id, org_id);
create index integration_objects_org_idx on public.integration_objects (org_id);
-- Contacts waiting for their company: found by the company's external id.
create index integration_objects_pending_contacts_idx on public.integration_objects
  (integration_id, (properties ->> 'customer')) where kind = 'contact' and local_id is null;

alter table public.webhook_events enable row level security;
alter table public.integration_objects enable row level security;

create policy "Webhook events are visible to admins of their organization"
  on public.webhook_events for select to authenticated
  using (org_id in (select private.org_ids_with_role('admin')));

create policy "Sync state is visible to admins of its organization"
  on public.integration_objects for select to authenticated
  using (org_id in (select private.org_ids_with_role('admin')));

-- Written by the service role only (webhook receiver, retry job); replay goes
-- through the API, which uses the service role for it after checking the admin.
revoke insert, update, delete, truncate on public.webhook_events from authenticated;
revoke insert, update, delete, truncate on public.integration_objects from authenticated;

-- An admin replays a dead-lettered (or failed) event: it goes back to the queue
-- with a fresh attempt budget. Security definer because only the service role
-- writes events; the check is the caller's own admin role in the event's org.
create function private.replay_webhook_event(p_event_id uuid) returns boolean
  language sql
  security definer
  set search_path = ''
as $$
  with replayed as (
    update public.webhook_events e
    set status = 'pending', attempts = 0, last_error = null, next_attempt_at = now(), processed_at = null
    where e.id = p_event_id
      and e.status in ('dead', 'failed')
      and private.has_org_role(e.org_id, 'admin')
    returning 1
  )
  select exists (select from replayed)
$$;

grant execute on function private.replay_webhook_event(uuid) to authenticated, service_role;
