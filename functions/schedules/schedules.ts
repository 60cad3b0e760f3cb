import { nightlyJob, runNightlyMetricsAsServiceRole } from '../jobs/daily-metrics.ts'
import { notifyOverdueTasksAsServiceRole, taskRemindersJob } from '../jobs/task-reminders.ts'
import { abandonedUploadsJob, cleanUpAbandonedUploadsAsServiceRole } from '../storage/abandoned-uploads.ts'
import { orphanedFilesJob, removeOrphanedFilesAsServiceRole } from '../storage/orphaned-files.ts'
import { processPendingWebhookEvents } from '../webhooks/retry.ts'
import { recordedJob, type Schedule, type ScheduledJob, storageJob } from './run-schedule.ts'

export const webhookRetriesJob = 'webhook-retries'

/** Deliveries pending (their process died) or failed and due again; the outcomes are counted, not recorded. */
const webhookRetries: ScheduledJob = {
  job: webhookRetriesJob,
  async run({ db, now }) {
    const outcomes = await processPendingWebhookEvents(db, { now })
    const handled = Object.values(outcomes).reduce((sum, n) => sum + n, 0)
    return { job: webhookRetriesJob, status: 'succeeded', rows: handled, run_id: null, error: null, outcomes }
  },
}

/**
 * Every piece of scheduled work, declared once. Each runtime reads this list:
 * the Worker's `scheduled()` picks a schedule by its cron (wrangler.toml's
 * crons are checked against it), a Node process runs timers from it, and on
 * Supabase pg_cron calls `POST /jobs/<name>` (supabase/cron/schedules.sql is
 * generated from it).
 */
export const schedules = [
  {
    name: 'nightly',
    cron: '0 2 * * *',
    summary:
      'Every organization’s daily metrics (catching up on missed days), then the clean-up of abandoned uploads and of files no document names',
    jobs: [
      recordedJob(nightlyJob, ({ db, now }) => runNightlyMetricsAsServiceRole(db, now)),
      storageJob(abandonedUploadsJob, ({ db, now }, storage) =>
        cleanUpAbandonedUploadsAsServiceRole(db, storage, now),
      ),
      storageJob(orphanedFilesJob, ({ db, now }, storage) =>
        removeOrphanedFilesAsServiceRole(db, storage, now),
      ),
    ],
  },
  {
    name: 'webhook-retries',
    cron: '* * * * *',
    summary: 'Webhook deliveries still pending or due a retry (backoff 30 s, doubling, at most an hour)',
    jobs: [webhookRetries],
  },
  {
    name: 'task-reminders',
    cron: '*/5 * * * *',
    summary: 'Assignees of tasks past their due time are notified, once per task, in the app and live',
    jobs: [recordedJob(taskRemindersJob, ({ db, now }) => notifyOverdueTasksAsServiceRole(db, now))],
  },
] as const satisfies readonly Schedule[]

export type ScheduleName = (typeof schedules)[number]['name']

/** The schedule a cron trigger fires; a cron nobody declared is a deployment mistake, named. */
export function scheduleForCron(cron: string): Schedule {
  const schedule = schedules.find((s) => s.cron === cron)
  if (!schedule)
    throw new Error(
      `No schedule has the cron "${cron}" (declared: ${schedules.map((s) => `${s.name} "${s.cron}"`).join(', ')}): make wrangler.toml's crons match functions/schedules/schedules.ts`,
    )
  return schedule
}
