-- Why: a client that retries a POST (a timeout, a flaky mobile link) must not
-- create the same customer twice. With an `Idempotency-Key` header the API
-- records the first response under (user, key) in the same transaction as the
-- create; a retry replays it, a concurrent duplicate waits on the primary key
-- and then replays, a different body under the same key is refused. Keys are
-- private to their user and expire after 24 hours (the nightly job deletes them).

create table public.idempotency_keys (
  user_id uuid not null default auth.uid() references public.users (id) on delete cascade,
  key text not null,
  method text not null,
  path text not null,
  request_hash text not null,
  status integer,
  response jsonb,
  created_at timestamptz not null default now(),
  primary key (user_id, key),
  constraint idempotency_keys_key_format check (key ~ '^[A-Za-z0-9_.:-]{8,255}$')
);
create index idempotency_keys_created_idx on public.idempotency_keys (created_at);

alter table public.idempotency_keys enable row level security;

create policy "Idempotency keys are visible to their own user"
  on public.idempotency_keys for select to authenticated
  using (user_id = (select auth.uid()));

create policy "Idempotency keys are recorded by their own user"
  on public.idempotency_keys for insert to authenticated
  with check (user_id = (select auth.uid()));

create policy "Idempotency keys are completed by their own user"
  on public.idempotency_keys for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));

revoke update on public.idempotency_keys from authenticated;
grant update (status, response) on public.idempotency_keys to authenticated;
revoke delete on public.idempotency_keys from authenticated;
