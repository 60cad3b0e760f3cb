import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { unstable_readConfig } from 'wrangler'
import { parseCron } from './cron.ts'
import { scheduleForCron, schedules } from './schedules.ts'

const wranglerToml = fileURLToPath(new URL('../../wrangler.toml', import.meta.url))

describe('the declared schedules', () => {
  it('should have valid crons, and a name and a cron of their own each', () => {
    for (const schedule of schedules) expect(() => parseCron(schedule.cron), schedule.name).not.toThrow()
    // The Worker tells schedules apart by cron alone, pg_cron and the endpoints by name.
    expect(new Set(schedules.map((s) => s.cron)).size).toBe(schedules.length)
    expect(new Set(schedules.map((s) => s.name)).size).toBe(schedules.length)
    for (const schedule of schedules) expect(schedule.name).toMatch(/^[a-z][a-z0-9-]*$/)
  })

  it('should run the nightly metrics, both document clean-ups, the webhook retries and the task reminders, each once', () => {
    const jobs = schedules.flatMap((s) => s.jobs.map((j) => `${s.name}: ${j.job}`))
    expect(jobs).toEqual([
      'nightly: metrics-nightly',
      'nightly: documents-abandoned-uploads',
      'nightly: documents-orphaned-files',
      'webhook-retries: webhook-retries',
      'task-reminders: task-reminders',
    ])
  })

  it.each([undefined, 'staging', 'production'])(
    'should be wrangler.toml’s crons, exactly, in the %s environment (as wrangler itself reads the file)',
    (env) => {
      const config = unstable_readConfig({ config: wranglerToml, env })
      expect([...config.triggers.crons].sort()).toEqual(schedules.map((s) => s.cron).sort())
      for (const cron of config.triggers.crons) expect(scheduleForCron(cron).cron).toBe(cron)
    },
  )

  it('should name the cron a Worker fires when no schedule declares it', () => {
    expect(() => scheduleForCron('*/7 * * * *')).toThrow(/No schedule has the cron "\*\/7 \* \* \* \*"/)
  })
})
