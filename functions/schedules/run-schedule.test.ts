import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createTestDatabase, type TestDatabase } from '../../tests/support/test-database.ts'
import { runLockedJobAsServiceRole } from '../jobs/job-runs.ts'
import {
  type JobContext,
  recordedJob,
  runSchedule,
  type Schedule,
  type ScheduleRun,
  storageJob,
} from './run-schedule.ts'
import { startScheduleTimers } from './timers.ts'

/** A job recorded in job_runs whose work writes `rows` rows, or throws `fail`. */
const lockedJob = (job: string, rows: number, fail?: string) =>
  recordedJob(job, ({ db }) =>
    runLockedJobAsServiceRole(db, {
      job,
      lockedWith: [],
      async work(tx) {
        await tx.query('select 1')
        if (fail) throw new Error(fail)
        return rows
      },
    }),
  )

describe('a schedule run', () => {
  let t: TestDatabase
  let context: () => JobContext

  beforeAll(async () => {
    t = await createTestDatabase()
    context = () => ({ db: t.db, storage: null, now: new Date('2026-06-01T02:00:00Z') })
  })
  afterAll(() => t?.close())

  const recorded = (job: string) =>
    t.db.query<{ status: string; rows: number | null; error: string | null }>(
      'select status, rows, error from public.job_runs where job = $1 order by id',
      [job],
    )

  it('should run every job in order, reporting a failure and going on to the next', async () => {
    const schedule: Schedule = {
      name: 'test',
      cron: '0 3 * * *',
      summary: 'test',
      jobs: [
        lockedJob('test-first', 3, 'the work broke'),
        {
          job: 'test-thrower',
          run: () => Promise.reject(new TypeError('not even started')),
        },
        lockedJob('test-last', 2),
      ],
    }
    const run = await runSchedule(schedule, context())
    expect(run.jobs).toEqual([
      {
        job: 'test-first',
        status: 'failed',
        rows: null,
        run_id: expect.any(Number),
        error: 'the work broke',
      },
      { job: 'test-thrower', status: 'failed', rows: null, run_id: null, error: 'not even started' },
      { job: 'test-last', status: 'succeeded', rows: 2, run_id: expect.any(Number), error: null },
    ])
    expect(run.failed.map((j) => j.job)).toEqual(['test-first', 'test-thrower'])
    expect(await recorded('test-first')).toEqual([{ status: 'failed', rows: null, error: 'the work broke' }])
    expect(await recorded('test-last')).toEqual([{ status: 'succeeded', rows: 2, error: null }])
  })

  it('should skip a job on document files where no Storage is configured, recording nothing', async () => {
    const job = storageJob('test-files', () => Promise.reject(new Error('must not run')))
    expect(await job.run(context())).toMatchObject({ status: 'skipped', rows: 0, run_id: null })
    expect(await recorded('test-files')).toEqual([])
  })

  it('should run every schedule once at start on timers, one after the other', async () => {
    const runs: ScheduleRun[] = []
    // Crons that do not fall due during the test: only the start-up runs happen.
    const timers = startScheduleTimers({
      schedules: [
        { name: 'a', cron: '0 0 1 1 *', summary: 'a', jobs: [lockedJob('test-timer-a', 1)] },
        { name: 'b', cron: '0 0 1 7 *', summary: 'b', jobs: [lockedJob('test-timer-b', 1)] },
      ],
      context,
      onRun: (run) => runs.push(run),
    })
    await vi.waitFor(() => expect(runs).toHaveLength(2), { timeout: 20_000 })
    await timers.stop()
    expect(runs.map((r) => [r.schedule, r.jobs[0]?.status])).toEqual([
      ['a', 'succeeded'],
      ['b', 'succeeded'],
    ])
    const [a, b] = await t.db.query<{ id: number }>(
      `select id::int as id from public.job_runs where job in ('test-timer-a', 'test-timer-b') order by job`,
    )
    expect(Number(a?.id)).toBeLessThan(Number(b?.id))
  })

  it('should drop runs still queued when stopped, and refuse a wrong cron before running anything', async () => {
    const stopped: ScheduleRun[] = []
    const queued = startScheduleTimers({
      schedules: [{ name: 'q', cron: '0 0 1 1 *', summary: 'q', jobs: [lockedJob('test-queued', 1)] }],
      context,
      onRun: (run) => stopped.push(run),
    })
    await queued.stop()
    expect(stopped).toEqual([])
    expect(await recorded('test-queued')).toEqual([])

    const runs: ScheduleRun[] = []
    expect(() =>
      startScheduleTimers({
        schedules: [{ name: 'x', cron: '0 25 * * *', summary: 'x', jobs: [] }],
        context,
        onRun: (run) => runs.push(run),
      }),
    ).toThrow(/hour "25"/)
    expect(runs).toEqual([])
  })
})
