import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiClient, testJwtSecret, tokenFor } from '../../tests/support/api.ts'
import { createFixture, type Fixture } from '../../tests/support/fixtures.ts'
import { createTestDatabase, type TestDatabase } from '../../tests/support/test-database.ts'
import { createApp } from '../app.ts'
import { parseApiConfig } from '../config.ts'
import { jobsSecretMatches } from './jobs-secret.ts'
import { schedules } from './schedules.ts'

const jobsSecret = 'the-scheduler-secret-of-32-characters-or-more'
const now = new Date('2026-06-01T02:00:00.000Z')
const withSecret = { headers: { 'X-Jobs-Secret': jobsSecret } }

describe('POST /jobs/<schedule>', () => {
  let t: TestDatabase
  let f: Fixture
  let request: ReturnType<typeof apiClient>
  let unconfigured: ReturnType<typeof apiClient>
  const logs: Record<string, unknown>[] = []

  beforeAll(async () => {
    t = await createTestDatabase()
    f = await createFixture(t.db)
    const env = { SUPABASE_JWT_SECRET: testJwtSecret, CORS_ORIGINS: 'http://localhost:8787' }
    const app = (extra: Record<string, string>) =>
      createApp({
        db: t.db,
        config: parseApiConfig({ ...env, ...extra }),
        clock: () => now,
        log: (line) => logs.push(line),
      })
    request = apiClient(app({ JOBS_SECRET: jobsSecret }))
    unconfigured = apiClient(app({}))
  })
  afterAll(() => t?.close())

  const runs = async () =>
    (await t.db.query<{ n: number }>('select count(*)::int as n from public.job_runs'))[0]?.n

  it.each(schedules.map((s) => s.name))(
    'should answer 401 problem+json to %s, running nothing, without the secret, with a wrong one or with a user token',
    async (name) => {
      const attempts = [
        {},
        { headers: { 'X-Jobs-Secret': `${jobsSecret}x` } },
        { headers: { 'X-Jobs-Secret': jobsSecret.slice(0, -1) } },
        { token: await tokenFor(f.users.owner.id) },
      ]
      for (const options of attempts) {
        const res = await request('POST', `/jobs/${name}`, options)
        expect(res.status).toBe(401)
        expect(res.headers.get('content-type')).toBe('application/problem+json')
        expect(res.json).toMatchObject({ status: 401, code: 'unauthorized' })
      }
      expect(await runs()).toBe(0)
    },
  )

  it('should refuse every caller when JOBS_SECRET is not configured', async () => {
    const res = await unconfigured('POST', '/jobs/nightly', { headers: { 'X-Jobs-Secret': '' } })
    expect(res.status).toBe(401)
    expect((await unconfigured('POST', '/jobs/nightly', withSecret)).status).toBe(401)
    expect((await unconfigured('POST', '/jobs/webhook-retries', withSecret)).status).toBe(401)
  })

  it('should run the nightly schedule with the secret and answer each job, Storage-bound ones skipped without Storage', async () => {
    const res = await request('POST', '/jobs/nightly', withSecret)
    expect(res.status).toBe(200)
    expect(res.json.schedule).toBe('nightly')
    expect(res.json.jobs).toEqual([
      { job: 'metrics-nightly', status: 'succeeded', rows: 2, run_id: expect.any(Number), error: null },
      {
        job: 'documents-abandoned-uploads',
        status: 'skipped',
        rows: 0,
        run_id: null,
        error: expect.stringMatching(/^Storage is not configured/),
      },
      {
        job: 'documents-orphaned-files',
        status: 'skipped',
        rows: 0,
        run_id: null,
        error: expect.stringMatching(/^Storage is not configured/),
      },
    ])
    const days = await t.db.query<{ org_id: string; day: string }>(
      'select org_id, day::text as day from public.daily_metrics order by day',
    )
    expect(days.map((d) => d.day)).toEqual(['2026-05-31', '2026-05-31'])
    expect(days.map((d) => d.org_id).sort()).toEqual([f.orgA, f.orgB].sort())
    expect(logs).toContainEqual(
      expect.objectContaining({ event: 'scheduled', schedule: 'nightly', job: 'metrics-nightly' }),
    )
  })

  it('should retry a due webhook delivery on POST /jobs/webhook-retries (what pg_cron calls every minute on Supabase)', async () => {
    const [integration] = await t.db.query<{ id: string }>(
      `insert into public.integrations (org_id, provider, name) values ($1, 'standard_webhooks', 'CRM')
       returning id`,
      [f.orgA],
    )
    // Stored, never processed (its process died), due since before the job's clock.
    await t.db.query(
      `insert into public.webhook_events (org_id, integration_id, provider, event_id, body, next_attempt_at)
       values ($1, $2, 'standard_webhooks', 'msg_left_behind', $3, $4)`,
      [
        f.orgA,
        integration?.id,
        JSON.stringify({
          type: 'customer.created',
          timestamp: '2026-05-31T23:00:00Z',
          data: { id: 'left-1', name: 'Left behind' },
        }),
        '2026-05-31T23:00:00Z',
      ],
    )
    const res = await request('POST', '/jobs/webhook-retries', withSecret)
    expect(res.status).toBe(200)
    expect(res.json).toEqual({
      schedule: 'webhook-retries',
      jobs: [
        {
          job: 'webhook-retries',
          status: 'succeeded',
          rows: 1,
          run_id: null,
          error: null,
          outcomes: { processed: 1, ignored: 0, failed: 0, dead: 0, skipped: 0 },
        },
      ],
    })
    const [event] = await t.db.query(
      `select status from public.webhook_events where event_id = 'msg_left_behind'`,
    )
    expect(event).toEqual({ status: 'processed' })
    expect(await t.db.query(`select 1 from public.customers where name = 'Left behind'`)).toHaveLength(1)
    // Nothing due any more: the next minute's call handles nothing.
    expect((await request('POST', '/jobs/webhook-retries', withSecret)).json.jobs[0].rows).toBe(0)
  })

  it('should answer 500 job_failed naming the failed run, which job_runs records', async () => {
    await t.db.query(
      'revoke execute on function private.refresh_daily_metrics(uuid, date, date, timestamptz) from service_role',
    )
    try {
      const res = await request('POST', '/jobs/nightly', withSecret)
      expect(res.status).toBe(500)
      expect(res.json).toMatchObject({ code: 'job_failed' })
      const [failed] = await t.db.query<{ id: number; error: string }>(
        `select id::int as id, error from public.job_runs where status = 'failed' order by id desc limit 1`,
      )
      expect(res.json.detail).toContain(`metrics-nightly (run ${failed?.id}) failed`)
      expect(failed?.error).toMatch(/permission denied for function refresh_daily_metrics/)
    } finally {
      await t.db.query(
        'grant execute on function private.refresh_daily_metrics(uuid, date, date, timestamptz) to service_role',
      )
    }
  })

  it('should put one operation per declared schedule in the OpenAPI document, with its secret header scheme', async () => {
    const doc = (await request('GET', '/openapi.json')).json
    const jobPaths = Object.keys(doc.paths).filter((p) => p.startsWith('/api/jobs/'))
    expect(jobPaths.sort()).toEqual(schedules.map((s) => `/api/jobs/${s.name}`).sort())
    for (const path of jobPaths) expect(doc.paths[path].post.security).toEqual([{ jobsSecret: [] }])
    expect(doc.components.securitySchemes.jobsSecret).toMatchObject({
      type: 'apiKey',
      in: 'header',
      name: 'X-Jobs-Secret',
    })
  })
})

describe('jobsSecretMatches', () => {
  it('should match only the configured secret, whatever the lengths', async () => {
    expect(await jobsSecretMatches(jobsSecret, jobsSecret)).toBe(true)
    expect(await jobsSecretMatches(`${jobsSecret} `, jobsSecret)).toBe(false)
    expect(await jobsSecretMatches('', jobsSecret)).toBe(false)
    expect(await jobsSecretMatches(undefined, jobsSecret)).toBe(false)
    expect(await jobsSecretMatches('', undefined)).toBe(false)
    expect(await jobsSecretMatches('anything', '')).toBe(false)
  })
})
