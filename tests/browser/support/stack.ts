import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { createPostgresDatabase } from '../../../functions/db/postgres.ts'
import { databaseUrlFor, testServerUrl } from '../../support/server-url.ts'
import { type StartedStack, startStackProcess, stopStackProcess } from '../../support/start-process.ts'

export interface BrowserStack {
  /** http://localhost:<port>, the dashboard's origin. */
  url: string
  anonKey: string
  stack: StartedStack
}

/**
 * `npm start` in its own process for one test file: a fresh data folder (and,
 * on the server run, a fresh database), a random port. `seedCustomers` sizes
 * the demo data (120 unless asked).
 */
export function useBrowserStack(options: { seedCustomers?: number } = {}): { current: BrowserStack } {
  const holder = {} as { current: BrowserStack }
  let dataDir: string
  let serverDatabase: string | undefined
  const serverUrl = testServerUrl()

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sales-browser-'))
    const env: Record<string, string> = { DATA_DIR: dataDir, DATABASE_URL: '' }
    if (options.seedCustomers) env.SEED_CUSTOMERS = String(options.seedCustomers)
    if (serverUrl) {
      serverDatabase = `sales_browser_${process.pid}_${Date.now().toString(36)}`
      const admin = createPostgresDatabase(serverUrl, { max: 1 })
      await admin.query(`create database ${serverDatabase}`)
      await admin.close()
      env.DATABASE_URL = databaseUrlFor(serverUrl, serverDatabase)
    }
    const stack = await startStackProcess(env)
    const anonKey = /anon key\s+(\S+)/.exec(stack.output())?.[1]
    if (!anonKey) throw new Error(`No anon key in the banner:\n${stack.output()}`)
    holder.current = { url: stack.url, anonKey, stack }
  }, 180_000)

  afterAll(async () => {
    if (holder.current) await stopStackProcess(holder.current.stack.child)
    await rm(dataDir, { recursive: true, force: true })
    if (serverUrl && serverDatabase) {
      const admin = createPostgresDatabase(serverUrl, { max: 1 })
      await admin.query(`drop database if exists ${serverDatabase} with (force)`)
      await admin.close()
    }
  })
  return holder
}
