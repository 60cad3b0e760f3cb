import type { Schedule } from './run-schedule.ts'
import { jobsSecretHeaderName } from './schedules.schemas.ts'

/** The Vault secrets the cron jobs read at every run, so neither value sits in cron.job. */
export const vaultSecrets = {
  /** The API's JOBS_SECRET. */
  jobsSecret: 'jobs_secret',
  /** The API's base URL, with its base path: `https://<ref>.supabase.co/functions/v1/api`. */
  apiUrl: 'jobs_api_url',
} as const

/** The job name the nightly run had before the schedules were declared in one place. */
const retiredJobNames = ['metrics-nightly']

/** How long pg_net waits for an answer; the job goes on in the API either way. */
const timeoutMilliseconds = 60_000

const literal = (text: string) => `'${text.replaceAll("'", "''")}'`
const secret = (name: string) =>
  `(select decrypted_secret from vault.decrypted_secrets where name = ${literal(name)})`

function scheduleSql(schedule: Schedule): string {
  return `-- ${schedule.name}: ${schedule.summary}.
select cron.schedule(
  ${literal(schedule.name)},
  ${literal(schedule.cron)},
  $job$
  select net.http_post(
    url := ${secret(vaultSecrets.apiUrl)} || ${literal(`/jobs/${schedule.name}`)},
    headers := jsonb_build_object(
      'Content-Type', 'application/json',
      ${literal(jobsSecretHeaderName)}, ${secret(vaultSecrets.jobsSecret)}
    ),
    body := '{}'::jsonb,
    timeout_milliseconds := ${timeoutMilliseconds}
  )
  $job$
);`
}

/**
 * supabase/cron/schedules.sql: pg_cron jobs that call `POST /jobs/<name>` for
 * every declared schedule, at its cron. Generated (scripts/cron-sql.ts) and
 * compared with the committed file by a test, so the two cannot drift.
 */
export function pgCronSql(schedules: readonly Schedule[]): string {
  const missing = (name: string, how: string) =>
    `  if not exists (select from vault.decrypted_secrets where name = ${literal(name)}) then
    raise exception 'Vault has no secret named ${name}: select vault.create_secret(''${how}'', ''${name}'')';
  end if;`
  return `-- GENERATED from functions/schedules/schedules.ts by \`npx tsx scripts/cron-sql.ts\`:
-- edit the declaration, not this file (functions/schedules/pg-cron.test.ts compares them).
--
-- The schedules on Supabase: pg_cron calls the API's jobs endpoints with pg_net.
-- NOT a migration: pg_cron and pg_net are Supabase extensions that a plain
-- Postgres may lack. Enable pg_net (Database → Extensions), put two secrets
-- in Vault, then run this file (SQL editor, or psql "$SUPABASE_DB_URL" -f supabase/cron/schedules.sql):
--   select vault.create_secret('<the API''s JOBS_SECRET>', '${vaultSecrets.jobsSecret}');
--   select vault.create_secret('https://<project-ref>.supabase.co/functions/v1/api', '${vaultSecrets.apiUrl}');
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
${missing(vaultSecrets.jobsSecret, '<JOBS_SECRET>')}
${missing(vaultSecrets.apiUrl, 'https://<project-ref>.supabase.co/functions/v1/api')}
end
$check$;

-- Retired names, so an older schedule does not run beside its successor.
select cron.unschedule(jobid) from cron.job where jobname in (${retiredJobNames.map(literal).join(', ')});

${schedules.map(scheduleSql).join('\n\n')}
`
}
