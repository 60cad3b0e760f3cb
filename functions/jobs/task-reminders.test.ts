import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiClient, testJwtSecret } from '../../tests/support/api.ts'
import { createFixture, type Fixture } from '../../tests/support/fixtures.ts'
import { createTestDatabase, type TestDatabase } from '../../tests/support/test-database.ts'
import { createApp } from '../app.ts'
import { parseApiConfig } from '../config.ts'
import { notifyOverdueTasksAsServiceRole } from './task-reminders.ts'

const jobsSecret = 'the-scheduler-secret-of-32-characters-or-more'
const now = new Date('2026-06-01T09:00:00.000Z')

describe('task reminders (the task-reminders schedule)', () => {
  let t: TestDatabase
  let f: Fixture
  const task = async (title: string, dueAt: string | null, assignee: string | null, done = false) => {
    await t.db.query(
      `insert into public.tasks (org_id, customer_id, assignee_id, title, due_at, done_at)
       values ($1, $2, $3, $4, $5, case when $6 then $5::timestamptz else null end)`,
      [f.orgA, f.customers.repOwned, assignee, title, dueAt, done],
    )
  }
  const notifications = () =>
    t.db.query<{ user_id: string; title: string }>(
      `select user_id, title from public.notifications where kind = 'task_overdue' order by title`,
    )

  beforeAll(async () => {
    t = await createTestDatabase()
    f = await createFixture(t.db)
    await task('Call back', '2026-06-01T08:00:00Z', f.users.rep.id)
    await task('Send the offer', '2026-05-20T08:00:00Z', f.users.rep2.id)
    await task('Not due yet', '2026-06-01T10:00:00Z', f.users.rep.id)
    await task('Done already', '2026-05-01T08:00:00Z', f.users.rep.id, true)
    await task('Nobody’s', '2026-05-01T08:00:00Z', null)
    await task('No due time', null, f.users.rep.id)
  })
  afterAll(() => t.close())

  it('should notify the assignee of each open task past due, once, however often it runs', async () => {
    const first = await notifyOverdueTasksAsServiceRole(t.db, now)
    expect(first).toMatchObject({ job: 'task-reminders', status: 'succeeded', rows: 2 })
    expect(await notifications()).toEqual([
      { user_id: f.users.rep.id, title: 'Task overdue: Call back' },
      { user_id: f.users.rep2.id, title: 'Task overdue: Send the offer' },
    ])
    const again = await notifyOverdueTasksAsServiceRole(t.db, new Date(now.getTime() + 5 * 60_000))
    expect(again).toMatchObject({ status: 'succeeded', rows: 0 })
    expect(await notifications()).toHaveLength(2)
  })

  it('should run as POST /jobs/task-reminders, what pg_cron and the Worker call every five minutes', async () => {
    const request = apiClient(
      createApp({
        db: t.db,
        config: parseApiConfig({
          SUPABASE_JWT_SECRET: testJwtSecret,
          CORS_ORIGINS: 'http://localhost:8787',
          JOBS_SECRET: jobsSecret,
        }),
        clock: () => new Date(now.getTime() + 2 * 3_600_000),
        log: () => {},
      }),
    )
    const res = await request('POST', '/jobs/task-reminders', { headers: { 'X-Jobs-Secret': jobsSecret } })
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({
      schedule: 'task-reminders',
      jobs: [{ job: 'task-reminders', status: 'succeeded', rows: 1 }], // "Not due yet" is due by then
    })
  })
})
