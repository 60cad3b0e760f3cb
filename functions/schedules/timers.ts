import { type Cron, nextCronTime, parseCron } from './cron.ts'
import { type JobContext, runSchedule, type Schedule, type ScheduleRun } from './run-schedule.ts'

export interface ScheduleTimers {
  /** Stops the timers and waits for a run in progress. */
  stop(): Promise<void>
}

export interface ScheduleTimerOptions {
  schedules: readonly Schedule[]
  /** Built for each run (its `now` is the run's clock). */
  context: () => JobContext
  /** Every run, when it ends (jobs that failed are in it; a run never throws). */
  onRun: (run: ScheduleRun) => void
}

/** setTimeout's longest delay (about 24.8 days); a later time is waited for in steps. */
const longestDelay = 2 ** 31 - 1

/**
 * A long-lived process's scheduler (the Node root, `npm start`): every
 * schedule once at start, so a process that was down catches up (the nightly
 * run fills the days it missed), then at each minute its cron names, UTC. Runs
 * go one at a time, in the order they fell due: a slow nightly run delays the
 * next webhook retries rather than racing them. Timers do not keep the process alive.
 */
export function startScheduleTimers({ schedules, context, onRun }: ScheduleTimerOptions): ScheduleTimers {
  let queue: Promise<void> = Promise.resolve()
  let stopped = false
  const timers = new Set<ReturnType<typeof setTimeout>>()

  const enqueue = (schedule: Schedule) => {
    queue = queue
      .then(async () => {
        if (!stopped) onRun(await runSchedule(schedule, context()))
      })
      // runSchedule reports its jobs' failures itself; this is a fault of ours (the log), and the queue must go on.
      .catch((error: unknown) => console.error(`schedule ${schedule.name}:`, error))
  }

  const wait = (schedule: Schedule, cron: Cron, at: Date) => {
    const timer = setTimeout(
      () => {
        timers.delete(timer)
        if (stopped) return
        if (Date.now() < at.getTime()) return wait(schedule, cron, at)
        enqueue(schedule)
        wait(schedule, cron, nextCronTime(cron, at))
      },
      Math.min(Math.max(at.getTime() - Date.now(), 0), longestDelay),
    )
    timer.unref()
    timers.add(timer)
  }

  // Every expression parsed before anything runs: a wrong one stops start-up, naming it.
  const crons = schedules.map((schedule) => parseCron(schedule.cron))
  schedules.forEach((schedule, i) => {
    const cron = crons[i] as Cron
    enqueue(schedule)
    wait(schedule, cron, nextCronTime(cron, new Date()))
  })
  return {
    async stop() {
      stopped = true
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      await queue
    },
  }
}
