-- GENERATED from functions/schedules/schedules.ts by `npx tsx scripts/cron-sql.ts`:
-- edit the declaration, not this file (functions/schedules/pg-cron.test.ts compares them).
--
-- The schedules on Supabase: pg_cron calls the API's jobs endpoints with pg_net.
-- NOT a migration: pg_cron and pg_net are Supabase extensions that a plain
-- Postgres may lack. Enable pg_net (Database → Extensions), put two secrets
-- in Vault, then run this file (SQL editor, or psql "$SUPABASE_DB_URL" -f supabase/cron/schedules.sql):
--   select vault.create_secret('<the API''s JOBS_SECRET>', 'jobs_secret');
--   select vault.create_secret('https://<project-ref>.supabase.co/functions/v1/api', 'jobs_api_url');
-- The second is the API's URL with its base path (a Worker's: https://<worker host>/api).
-- Running it again replaces the schedules: cron.schedule upserts by name.
-- Each call's answer is in net._http_response (401: the two JOBS_SECRETs differ).

create extension if not exists pg_cron;

do $check$
begin
  if to_regprocedure('net.http_post(text, jsonb, jsonb, jsonb, integer)') is null then
    raise exception 'pg_net is not enabled: enable it under Database → Extensions, then run this file again';
  end if;
  if to_regclass('vault.decrypted_secrets') is null then
    raise exception 'Supabase Vault (vault.decrypted_secrets) is missing';
  end if;
  if not exists (select from vault.decrypted_secrets where name = 'jobs_secret') then
    raise exception 'Vault has no secret named jobs_secret: select vault.create_secret(''<JOBS_SECRET>'', ''jobs_secret'')';
  end if;
  if not exists (select from vault.decrypted_secrets where name = 'jobs_api_url') then
    raise exception 'Vault has no secret named jobs_api_url: select vault.create_secret(''https://<project-ref>.supabase.co/functions/v1/api'', ''jobs_api_url'')';
  end if;
end
$check$;

-- Retired names, so an older schedule does not run beside its successor.
select cron.unschedule(jobid) from cron.job where jobname in ('metrics-nightly');

-- nightly: Every organization’s daily metrics (catching up on missed days), then the clean-up of abandoned uploads and of files no document names.
select cron.schedule(
  'nightly',
  '0 2 * * *',
  $job$
  select net.http_post(
    url := (select decrypted_secret from vault.decrypted_secrets where name = 'jobs_api_url') || '/jobs/nightly',
    headers := jsonb_build_object(
      'Content-Type', 'application/json',
      'X-Jobs-Secret', (select decrypted_secret from vault.decrypted_secrets where name = 'jobs_secret')
    ),
    body := '{}'::jsonb,
    timeout_milliseconds := 60000
  )
  $job$
);

-- webhook-retries: Webhook deliveries still pending or due a retry (backoff 30 s, doubling, at most an hour).
select cron.schedule(
  'webhook-retries',
  '* * * * *',
  $job$
  select net.http_post(
    url := (select decrypted_secret from vault.decrypted_secrets where name = 'jobs_api_url') || '/jobs/webhook-retries',
    headers := jsonb_build_object(
      'Content-Type', 'application/json',
      'X-Jobs-Secret', (select decrypted_secret from vault.decrypted_secrets where name = 'jobs_secret')
    ),
    body := '{}'::jsonb,
    timeout_milliseconds := 60000
  )
  $job$
);

-- task-reminders: Assignees of tasks past their due time are notified, once per task, in the app and live.
select cron.schedule(
  'task-reminders',
  '*/5 * * * *',
  $job$
  select net.http_post(
    url := (select decrypted_secret from vault.decrypted_secrets where name = 'jobs_api_url') || '/jobs/task-reminders',
    headers := jsonb_build_object(
      'Content-Type', 'application/json',
      'X-Jobs-Secret', (select decrypted_secret from vault.decrypted_secrets where name = 'jobs_secret')
    ),
    body := '{}'::jsonb,
    timeout_milliseconds := 60000
  )
  $job$
);
