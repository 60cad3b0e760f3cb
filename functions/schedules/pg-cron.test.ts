import { existsSync } from 'node:fs'
import { appendFile, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiClient, testJwtSecret } from '../../tests/support/api.ts'
import { createTestDatabase, type TestDatabase } from '../../tests/support/test-database.ts'
import {
  postgresBinDir,
  startThrowawayPostgres,
  type ThrowawayPostgres,
  throwawayPostgresUnavailable,
} from '../../tests/support/throwaway-postgres.ts'
import { createApp } from '../app.ts'
import { parseApiConfig } from '../config.ts'
import type { Database } from '../db/database.ts'
import { createPostgresDatabase } from '../db/postgres.ts'
import { pgCronSql, vaultSecrets } from './pg-cron.ts'
import { schedules } from './schedules.ts'

const cronSqlPath = new URL('../../supabase/cron/schedules.sql', import.meta.url)

describe('supabase/cron/schedules.sql', () => {
  it('should be what the declared schedules generate (npx tsx scripts/cron-sql.ts writes it)', async () => {
    expect(await readFile(cronSqlPath, 'utf8')).toBe(pgCronSql(schedules))
  })
})

/** Debian's postgresql-15-cron puts it beside the server's other libraries. */
const pgCronLibrary = join(postgresBinDir, '..', 'lib', 'pg_cron.so')
const unavailable =
  throwawayPostgresUnavailable() ??
  (existsSync(pgCronLibrary) ? undefined : `no ${pgCronLibrary} (apt install postgresql-15-cron)`)

/**
 * The generated SQL run for real under pg_cron 1.4 (Debian's), in a cluster of
 * the test's own: pg_cron must be in shared_preload_libraries, which the
 * shared server does not have. pg_net and Vault are not packaged for Debian:
 * stand-ins with their signatures (pg_net's `net.http_post`, Vault's
 * `vault.decrypted_secrets`) record what a job would send, and the test sends
 * exactly that to the real app.
 */
describe.skipIf(unavailable)(
  `the pg_cron schedules on a throw-away cluster with pg_cron preloaded${unavailable ? ` (skipped: ${unavailable})` : ''}`,
  () => {
    let cluster: ThrowawayPostgres
    let db: Database
    const jobsSecret = 'the-cron-secret-of-at-least-32-characters'
    const apiUrl = 'http://localhost/api'
    const runFile = async () => db.execScript(await readFile(cronSqlPath, 'utf8'))

    beforeAll(async () => {
      cluster = await startThrowawayPostgres()
      await appendFile(
        join(cluster.dir, 'data', 'postgresql.conf'),
        "\nshared_preload_libraries = 'pg_cron'\ncron.database_name = 'postgres'\n",
      )
      await cluster.stop()
      await cluster.start()
      db = createPostgresDatabase(cluster.url, { max: 1 })
    }, 120_000)

    afterAll(async () => {
      await db?.close()
      await cluster?.destroy()
    })

    it('should stop, naming what is missing, until pg_net and both Vault secrets are there', async () => {
      await expect(runFile()).rejects.toThrow(/pg_net is not enabled/)
      // pg_net's signature (supabase/pg_net, sql/pg_net.sql); this one records the request instead of sending it.
      await db.execScript(`
        create schema net;
        create table net.sent (id bigserial primary key, url text, body jsonb, params jsonb, headers jsonb, timeout_milliseconds int);
        create function net.http_post(
          url text,
          body jsonb default '{}'::jsonb,
          params jsonb default '{}'::jsonb,
          headers jsonb default '{"Content-Type": "application/json"}'::jsonb,
          timeout_milliseconds int default 1000
        ) returns bigint language sql as $$
          insert into net.sent (url, body, params, headers, timeout_milliseconds)
          values (url, body, params, headers, timeout_milliseconds) returning id
        $$;`)
      await expect(runFile()).rejects.toThrow(/Supabase Vault/)
      await db.execScript(
        'create schema vault; create table vault.decrypted_secrets (name text, decrypted_secret text);',
      )
      await expect(runFile()).rejects.toThrow(/Vault has no secret named jobs_secret/)
      await db.query('insert into vault.decrypted_secrets values ($1, $2)', [
        vaultSecrets.jobsSecret,
        jobsSecret,
      ])
      await expect(runFile()).rejects.toThrow(/Vault has no secret named jobs_api_url/)
    })

    it('should schedule one pg_cron job per declared schedule, replacing the retired metrics-nightly, again and again', async () => {
      await db.query('insert into vault.decrypted_secrets values ($1, $2)', [vaultSecrets.apiUrl, apiUrl])
      // What supabase/cron/nightly.sql scheduled before the schedules were declared in one place.
      await db.execScript(
        `create extension pg_cron; select cron.schedule('metrics-nightly', '0 2 * * *', 'select 1')`,
      )
      await runFile()
      await runFile()
      const jobs = await db.query<{ jobname: string; schedule: string; active: boolean }>(
        'select jobname, schedule, active from cron.job order by jobname',
      )
      expect(jobs).toEqual(
        schedules
          .map((s) => ({ jobname: s.name, schedule: s.cron, active: true }))
          .sort((a, b) => a.jobname.localeCompare(b.jobname)),
      )
    })

    it('should send, when a job runs, the request the app answers with that schedule’s run', async () => {
      const t: TestDatabase = await createTestDatabase()
      try {
        const config = parseApiConfig({ SUPABASE_JWT_SECRET: testJwtSecret, JOBS_SECRET: jobsSecret })
        const request = apiClient(createApp({ db: t.db, config, log: () => {} }), '')
        for (const schedule of schedules) {
          // What pg_cron executes at the schedule's minute: the job's own command, as stored.
          const [job] = await db.query<{ command: string }>(
            'select command from cron.job where jobname = $1',
            [schedule.name],
          )
          await db.query(job?.command as string)
          const [sent] = await db.query<{ url: string; headers: Record<string, string>; body: unknown }>(
            'select url, headers, body from net.sent order by id desc limit 1',
          )
          expect(sent?.url).toBe(`${apiUrl}/jobs/${schedule.name}`)
          const res = await request('POST', new URL(sent?.url as string).pathname, {
            headers: sent?.headers,
            rawBody: JSON.stringify(sent?.body),
          })
          expect(res.status, JSON.stringify(res.json)).toBe(200)
          expect(res.json.schedule).toBe(schedule.name)
        }
      } finally {
        await t.close()
      }
    })
  },
)
