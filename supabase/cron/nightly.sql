-- The nightly metrics on Supabase, scheduled by pg_cron and called over HTTP
-- with pg_net. NOT a migration: pg_cron and pg_net are Supabase extensions
-- (enable them under Database → Extensions) that a plain Postgres may lack.
-- Run it once, in the SQL editor or with psql, after replacing the URL:
--   psql "$SUPABASE_DB_URL" -f supabase/cron/nightly.sql
--
-- The job endpoint (POST /api/jobs/nightly) needs the API's JOBS_SECRET in
-- X-Jobs-Secret. Keep it in Vault, not in this file or in cron.job:
--   select vault.create_secret('<the JOBS_SECRET value>', 'jobs_secret');
-- A run catches up on missed days and records itself in public.job_runs;
-- pg_net's answers are in net._http_response (a 401 means the secrets differ).

create extension if not exists pg_cron;
create extension if not exists pg_net;

-- 02:00 UTC, as the Worker's cron in wrangler.toml. Re-running this file
-- replaces the schedule (cron.schedule upserts by name).
select cron.schedule(
  'metrics-nightly',
  '0 2 * * *',
  $$
  select net.http_post(
    url := 'https://<your-api-host>/api/jobs/nightly',
    headers := jsonb_build_object(
      'Content-Type', 'application/json',
      'X-Jobs-Secret', (select decrypted_secret from vault.decrypted_secrets where name = 'jobs_secret')
    ),
    body := '{}'::jsonb,
    timeout_milliseconds := 60000
  )
  $$
);
