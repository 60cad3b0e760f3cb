import type { Database } from '../db/database.ts'
import { notifyOverdueTasks } from '../queries/task-reminders.ts'
import { type JobRun, runLockedJobAsServiceRole } from './job-runs.ts'

export const taskRemindersJob = 'task-reminders'

/**
 * Overdue tasks reach their assignees: an in-app notification each, which the
 * database also sends live on the assignee's own realtime topic. Recorded in
 * job_runs like the other jobs; a second run at once skips.
 */
export function notifyOverdueTasksAsServiceRole(db: Database, now: Date = new Date()): Promise<JobRun> {
  return runLockedJobAsServiceRole(db, {
    job: taskRemindersJob,
    lockedWith: [taskRemindersJob],
    work: (tx) => notifyOverdueTasks(tx, now),
  })
}
