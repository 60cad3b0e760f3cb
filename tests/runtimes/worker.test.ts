import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildWorker } from '../../scripts/build-worker.ts'
import { testJwtSecret, tokenFor } from '../support/api.ts'
import { createFixture, type Fixture } from '../support/fixtures.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'

const repoRoot = new URL('../../', import.meta.url).pathname

/** The compatibility date the Worker deploys with, read from wrangler.toml so the test runs the same. */
async function compatibilityDate(): Promise<string> {
  const toml = await readFile(join(repoRoot, 'wrangler.toml'), 'utf8')
  const date = toml.match(/^compatibility_date\s*=\s*"([^"]+)"/m)?.[1]
  if (!date) throw new Error('wrangler.toml has no compatibility_date')
  return date
}

/**
 * Miniflare refuses a Hyperdrive URL without a password. The test server trusts
 * local connections, so a server that never asks for one ignores a placeholder.
 */
function withPassword(url: string): string {
  const parsed = new URL(url)
  if (!parsed.password) parsed.password = 'unused'
  return parsed.toString()
}

interface ScheduledFetcher {
  scheduled(options: { cron: string }): Promise<{ outcome: string }>
}

describe.skipIf(!process.env.DATABASE_URL)(
  'the Worker entry in workerd (needs DATABASE_URL: a Worker reaches Postgres over TCP)',
  () => {
    let t: TestDatabase
    let f: Fixture
    let mf: Miniflare
    let outdir: string
    /** What the Worker logged (its console), one entry per line. */
    const logs: string[] = []

    async function get(path: string, token?: string) {
      const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {}
      const res = await mf.dispatchFetch(`http://localhost${path}`, { headers })
      // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON the API answered
      return { status: res.status, headers: res.headers, json: (await res.json()) as any }
    }

    beforeAll(async () => {
      outdir = await mkdtemp(join(tmpdir(), 'sales-worker-'))
      // Bundling and the database copy are independent: do both at once.
      const [bundle, database] = await Promise.all([buildWorker(outdir), createTestDatabase()])
      t = database
      f = await createFixture(t.db)
      mf = new Miniflare({
        modules: true,
        scriptPath: bundle.scriptPath,
        // Module names are paths relative to this root; the default (the cwd) cannot reach the temp dir.
        modulesRoot: bundle.outdir,
        compatibilityDate: await compatibilityDate(),
        compatibilityFlags: ['nodejs_compat'],
        bindings: {
          SUPABASE_JWT_SECRET: testJwtSecret,
          API_BASE_PATH: '/api',
          CORS_ORIGINS: 'http://localhost:8787',
        },
        hyperdrives: { HYPERDRIVE: withPassword(t.url as string) },
        handleStructuredLogs: ({ message }: { message: string }) => {
          logs.push(message)
        },
      })
      await mf.ready
    }, 300_000)

    afterAll(async () => {
      await mf?.dispose()
      await t?.close()
      if (outdir) await rm(outdir, { recursive: true, force: true })
    })

    it('should list organization A’s customers to its viewer, as RLS lets it see them', async () => {
      const res = await get(`/api/orgs/${f.orgA}/customers`, await tokenFor(f.users.viewer.id))
      expect(res.status).toBe(200)
      expect(res.json.data.map((c: { id: string }) => c.id).sort()).toEqual(
        [f.customers.repOwned, f.customers.rep2Owned].sort(),
      )
      expect(res.json.data.every((c: { org_id: string }) => c.org_id === f.orgA)).toBe(true)
      expect(res.json.next_cursor).toBeNull()
    })

    it('should answer 401 as problem+json without a token', async () => {
      const res = await get(`/api/orgs/${f.orgA}/customers`)
      expect(res.status).toBe(401)
      expect(res.headers.get('content-type')).toBe('application/problem+json')
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /)
      expect(res.json).toMatchObject({ status: 401, code: 'unauthorized' })
    })

    it('should answer 404 to a member of another organization', async () => {
      const res = await get(`/api/orgs/${f.orgA}/customers`, await tokenFor(f.users.outsider.id))
      expect(res.status).toBe(404)
      expect(res.json.code).toBe('not_found')
    })

    it('should keep concurrent requests apart, each on its own connection', async () => {
      const callers = [f.users.viewer, f.users.outsider, f.users.rep, f.users.stranger, f.users.owner]
      const answers = await Promise.all(
        callers.map(async (user) => get(`/api/orgs/${f.orgA}/customers`, await tokenFor(user.id))),
      )
      expect(answers.map((a) => a.status)).toEqual([200, 404, 200, 404, 200])
      for (const a of answers.filter((a) => a.status === 200)) expect(a.json.data).toHaveLength(2)
    })

    it('should reach Postgres through the Hyperdrive binding', async () => {
      const res = await get('/api/health/db')
      expect(res.status).toBe(200)
      expect(res.json).toMatchObject({ status: 'ok', database: 'postgres' })
    })

    /** The Worker's log lines of scheduled work, parsed. */
    const scheduledLines = () =>
      logs.filter((line) => line.includes('"event":"scheduled"')).map((l) => JSON.parse(l))

    it('should run the nightly schedule on its cron, writing yesterday’s rows', async () => {
      // Miniflare types the worker as a Fetcher from @cloudflare/workers-types, which we do not install.
      const worker = (await mf.getWorker()) as unknown as ScheduledFetcher
      const result = await worker.scheduled({ cron: '0 2 * * *' })
      expect(result.outcome).toBe('ok')
      expect(scheduledLines()).toContainEqual(
        expect.objectContaining({
          cron: '0 2 * * *',
          schedule: 'nightly',
          job: 'metrics-nightly',
          status: 'succeeded',
          rows: 2,
        }),
      )
      // Both fixture organizations count their days in UTC, and their customers were created today:
      // yesterday ended with none of them.
      const rows = await t.db.query<{ org_id: string; total: number; new_customers: number }>(
        `select org_id, new_customers,
                (select sum(value::int) from jsonb_each_text(customers_by_phase))::int as total
         from public.daily_metrics where day = (now() at time zone 'UTC')::date - 1`,
      )
      expect(rows.sort((a, b) => (a.org_id < b.org_id ? -1 : 1))).toEqual(
        [f.orgA, f.orgB].sort().map((org_id) => ({ org_id, total: 0, new_customers: 0 })),
      )
      const [run] = await t.db.query<{ status: string; rows: number }>(
        `select status, rows from public.job_runs where job = 'metrics-nightly' order by id desc limit 1`,
      )
      expect(run).toEqual({ status: 'succeeded', rows: 2 })
    })

    it('should retry due webhook deliveries on the every-minute cron', async () => {
      const [integration] = await t.db.query<{ id: string }>(
        `insert into public.integrations (org_id, provider, name) values ($1, 'standard_webhooks', 'CRM') returning id`,
        [f.orgA],
      )
      await t.db.query(
        `insert into public.webhook_events (org_id, integration_id, provider, event_id, body, next_attempt_at)
         values ($1, $2, 'standard_webhooks', 'msg_worker_cron', $3, now() - interval '1 minute')`,
        [
          f.orgA,
          integration?.id,
          JSON.stringify({
            type: 'customer.created',
            timestamp: new Date().toISOString(),
            data: { id: 'cron-1', name: 'Retried by the cron' },
          }),
        ],
      )
      const worker = (await mf.getWorker()) as unknown as ScheduledFetcher
      expect((await worker.scheduled({ cron: '* * * * *' })).outcome).toBe('ok')
      const [event] = await t.db.query(
        `select status from public.webhook_events where event_id = 'msg_worker_cron'`,
      )
      expect(event).toEqual({ status: 'processed' })
      expect(scheduledLines()).toContainEqual(
        expect.objectContaining({
          cron: '* * * * *',
          schedule: 'webhook-retries',
          status: 'succeeded',
          rows: 1,
        }),
      )
    })

    it('should remind assignees of overdue tasks on the every-five-minutes cron', async () => {
      await t.db.query(
        `insert into public.tasks (org_id, customer_id, assignee_id, title, due_at)
         values ($1, $2, $3, 'Send the renewal quote', now() - interval '1 hour')`,
        [f.orgA, f.customers.repOwned, f.users.rep.id],
      )
      const worker = (await mf.getWorker()) as unknown as ScheduledFetcher
      expect((await worker.scheduled({ cron: '*/5 * * * *' })).outcome).toBe('ok')
      // A job that finds nothing logs at debug, below the Worker's level: the overdue task makes it one row.
      expect(scheduledLines()).toContainEqual(
        expect.objectContaining({
          cron: '*/5 * * * *',
          schedule: 'task-reminders',
          status: 'succeeded',
          rows: 1,
        }),
      )
      const [run] = await t.db.query<{ job: string; status: string }>(
        `select job, status from public.job_runs order by id desc limit 1`,
      )
      expect(run).toEqual({ job: 'task-reminders', status: 'succeeded' })
      const reminders = await t.db.query<{ user_id: string; title: string }>(
        `select user_id, title from public.notifications`,
      )
      expect(reminders).toEqual([expect.objectContaining({ user_id: f.users.rep.id })])
    })

    it('should fail a cron no schedule declares, running nothing', async () => {
      const before = (await t.db.query('select 1 from public.job_runs')).length
      const worker = (await mf.getWorker()) as unknown as ScheduledFetcher
      expect((await worker.scheduled({ cron: '7 7 7 7 *' })).outcome).toBe('exception')
      expect(await t.db.query('select 1 from public.job_runs')).toHaveLength(before)
    })
  },
)
