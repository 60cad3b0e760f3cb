import { afterAll, beforeAll, inject } from 'vitest'
import { type StartedStack, startStackProcess, stopStackProcess } from '../../support/start-process.ts'
import { copyPreparedStackData as copyFrom, type StackData } from './prepared-stack.ts'

export interface BrowserStack {
  /** http://localhost:<port>, the dashboard's origin. */
  url: string
  anonKey: string
  stack: StartedStack
}

/**
 * `npm start` in its own process for one test file, on a random port, over a
 * copy of its own of the run's prepared data (migrated, seeded, backfilled
 * once per run: prepared-stack.ts); on the server run a database copied from
 * the prepared one. `seedCustomers` sizes the demo data (120 unless asked);
 * `env` adds settings (e.g. JOBS_SECRET, to run a schedule's job on demand).
 */
export function useBrowserStack(options: { seedCustomers?: number; env?: Record<string, string> } = {}): {
  current: BrowserStack
} {
  const holder = {} as { current: BrowserStack }
  let data: StackData | undefined

  beforeAll(async () => {
    data = await copyPreparedStackData(options.seedCustomers)
    const stack = await startStackProcess({ ...data.env, ...options.env })
    const anonKey = /anon key\s+(\S+)/.exec(stack.output())?.[1]
    if (!anonKey) throw new Error(`No anon key in the banner:\n${stack.output()}`)
    holder.current = { url: stack.url, anonKey, stack }
  }, 300_000)

  afterAll(async () => {
    if (holder.current) await stopStackProcess(holder.current.stack.child)
    await data?.remove()
  })
  return holder
}

/** This file's own copy of the run's prepared `npm start` data (for a file that starts its stack itself). */
export function copyPreparedStackData(seedCustomers?: number): Promise<StackData> {
  return copyFrom(inject('preparedStacks'), seedCustomers)
}
