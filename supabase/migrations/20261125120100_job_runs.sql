-- Why: scheduled jobs (the nightly metrics, backfills) run unattended. Each
-- run records itself here, committed before it starts working, so a night that
-- failed or never finished is visible ('failed', or 'running' left behind), and
-- the next run can tell what it has to catch up on. Only the jobs (service role)
-- read and write it: it spans every organization, so no member may see it.

create table public.job_runs (
  id bigint generated always as identity primary key,
  job text not null,
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  status text not null default 'running',
  rows integer,
  error text,
  constraint job_runs_job_not_blank check (length(btrim(job)) between 1 and 100),
  constraint job_runs_status_known check (status in ('running', 'succeeded', 'failed', 'skipped')),
  constraint job_runs_finished_when_done check ((status = 'running') = (finished_at is null)),
  constraint job_runs_rows_not_negative check (rows >= 0)
);
create index job_runs_job_started_idx on public.job_runs (job, started_at desc);

alter table public.job_runs enable row level security;

-- No policy for authenticated: and no privilege either (the second lock).
revoke all on public.job_runs from anon, authenticated;
grant select, insert, update, delete on public.job_runs to service_role;
