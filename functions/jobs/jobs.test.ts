import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiClient, testJwtSecret, tokenFor } from '../../tests/support/api.ts'
import { createFixture, type Fixture } from '../../tests/support/fixtures.ts'
import { createTestDatabase, type TestDatabase } from '../../tests/support/test-database.ts'
import { createApp } from '../app.ts'
import { parseApiConfig } from '../config.ts'
import { jobsSecretMatches } from './jobs-secret.ts'

const jobsSecret = 'the-scheduler-secret-of-32-characters-or-more'
const now = new Date('2026-06-01T02:00:00.000Z')

describe('POST /jobs/nightly', () => {
  let t: TestDatabase
  let f: Fixture
  let request: ReturnType<typeof apiClient>
  let unconfigured: ReturnType<typeof apiClient>

  beforeAll(async () => {
    t = await createTestDatabase()
    f = await createFixture(t.db)
    const env = { SUPABASE_JWT_SECRET: testJwtSecret, CORS_ORIGINS: 'http://localhost:8787' }
    const app = (extra: Record<string, string>) =>
      createApp({ db: t.db, config: parseApiConfig({ ...env, ...extra }), clock: () => now, log: () => {} })
    request = apiClient(app({ JOBS_SECRET: jobsSecret }))
    unconfigured = apiClient(app({}))
  })
  afterAll(() => t?.close())

  const runs = async () =>
    (await t.db.query<{ n: number }>('select count(*)::int as n from public.job_runs'))[0]?.n

  it('should answer 401 problem+json, running nothing, without the secret, with a wrong one or with a user token', async () => {
    const attempts = [
      {},
      { headers: { 'X-Jobs-Secret': `${jobsSecret}x` } },
      { headers: { 'X-Jobs-Secret': jobsSecret.slice(0, -1) } },
      { token: await tokenFor(f.users.owner.id) },
    ]
    for (const options of attempts) {
      const res = await request('POST', '/jobs/nightly', options)
      expect(res.status).toBe(401)
      expect(res.headers.get('content-type')).toBe('application/problem+json')
      expect(res.json).toMatchObject({ status: 401, code: 'unauthorized' })
    }
    expect(await runs()).toBe(0)
  })

  it('should refuse every caller when JOBS_SECRET is not configured', async () => {
    const res = await unconfigured('POST', '/jobs/nightly', { headers: { 'X-Jobs-Secret': '' } })
    expect(res.status).toBe(401)
    expect(
      (await unconfigured('POST', '/jobs/nightly', { headers: { 'X-Jobs-Secret': jobsSecret } })).status,
    ).toBe(401)
  })

  it('should run the nightly job with the secret and answer the run', async () => {
    const res = await request('POST', '/jobs/nightly', { headers: { 'X-Jobs-Secret': jobsSecret } })
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({ job: 'metrics-nightly', status: 'succeeded', rows: 2, error: null })
    expect(res.json.finished_at).toMatch(/Z$/)
    const days = await t.db.query<{ org_id: string; day: string }>(
      'select org_id, day::text as day from public.daily_metrics order by day',
    )
    expect(days.map((d) => d.day)).toEqual(['2026-05-31', '2026-05-31'])
    expect(days.map((d) => d.org_id).sort()).toEqual([f.orgA, f.orgB].sort())
  })

  it('should be in the OpenAPI document with its secret header scheme', async () => {
    const doc = (await request('GET', '/openapi.json')).json
    expect(doc.paths['/api/jobs/nightly'].post.security).toEqual([{ jobsSecret: [] }])
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
