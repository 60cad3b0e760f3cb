import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPostgresDatabase } from '../../functions/db/postgres.ts'
import { DEMO_PASSWORD } from '../../scripts/seed/demo-accounts.ts'
import { databaseUrlFor, testServerUrl } from '../support/server-url.ts'
import { startStackProcess, stopStackProcess } from '../support/start-process.ts'
import { localSupabaseClient } from '../support/supabase-client.ts'

/**
 * `npm start` as a newcomer runs it: its own process, a fresh data folder (or
 * a fresh database on the server run), a random port, signing in with the
 * real supabase-js client and calling the API with that session. What they change
 * survives a restart; Ctrl-C leaves nothing locked or corrupt.
 */
// Whole processes with their own databases: generous limits, as the machine may be busy.
describe('npm start', { timeout: 240_000 }, () => {
  let dataDir: string
  let env: Record<string, string>
  let serverDatabase: string | undefined
  const serverUrl = testServerUrl()

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sales-start-'))
    env = { DATA_DIR: dataDir, DATABASE_URL: '' }
    if (serverUrl) {
      serverDatabase = `sales_e2e_${process.pid}_${Date.now().toString(36)}`
      const admin = createPostgresDatabase(serverUrl, { max: 1 })
      await admin.query(`create database ${serverDatabase}`)
      await admin.close()
      env.DATABASE_URL = databaseUrlFor(serverUrl, serverDatabase)
    }
  })

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true })
    if (serverUrl && serverDatabase) {
      const admin = createPostgresDatabase(serverUrl, { max: 1 })
      await admin.query(`drop database if exists ${serverDatabase} with (force)`)
      await admin.close()
    }
  })

  /** Signs in as a demo user with the real supabase-js client against the stack's /auth/v1. */
  const signIn = async (url: string, output: string, email = 'manager@acme.example') => {
    const anonKey = /anon key\s+(\S+)/.exec(output)?.[1] as string
    const { data, error } = await localSupabaseClient(url, anonKey).auth.signInWithPassword({
      email,
      password: DEMO_PASSWORD,
    })
    expect(error).toBeNull()
    return data.session?.access_token as string
  }
  const tokens = new Map<string, string>()

  const api = async (url: string, path: string, init: RequestInit = {}) => {
    const token = tokens.get(url) as string
    const res = await fetch(`${url}/api${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...init.headers },
    })
    return { status: res.status, json: (await res.json()) as Record<string, unknown> }
  }

  it('should serve seeded data, keep a change across a restart, and stop cleanly on Ctrl-C', async () => {
    const jobsSecret = 'the-local-stack-jobs-secret-of-32-chars'
    const first = await startStackProcess({ ...env, JOBS_SECRET: jobsSecret })
    let renamedId: string
    try {
      tokens.set(first.url, await signIn(first.url, first.output()))
      expect(first.output()).toContain('demo data loaded')
      const health = await fetch(`${first.url}/api/health/db`)
      expect(health.status).toBe(200)

      // The Node root's schedules, as pg_cron calls them on Supabase, with the local Storage stand-in.
      const nightly = await fetch(`${first.url}/api/jobs/nightly`, {
        method: 'POST',
        headers: { 'X-Jobs-Secret': jobsSecret },
      })
      const run = (await nightly.json()) as { jobs: { job: string; status: string }[] }
      expect(nightly.status, JSON.stringify(run)).toBe(200)
      expect(run.jobs.map((j) => `${j.job} ${j.status}`)).toEqual([
        'metrics-nightly succeeded',
        'documents-abandoned-uploads succeeded',
        'documents-orphaned-files succeeded',
      ])
      const retries = await fetch(`${first.url}/api/jobs/webhook-retries`, {
        method: 'POST',
        headers: { 'X-Jobs-Secret': jobsSecret },
      })
      expect(retries.status).toBe(200)

      const me = await api(first.url, '/me')
      expect(me.status).toBe(200)
      const orgId = (me.json.memberships as { org_id: string }[])[0]?.org_id as string
      // Compressed for whoever accepts it: the dashboard's code and the API's answers.
      const index = await (await fetch(`${first.url}/`)).text()
      const mainScript = /assets\/main-[A-Z0-9]+\.js/.exec(index)?.[0]
      const gzip = {
        headers: { 'Accept-Encoding': 'gzip', Authorization: `Bearer ${tokens.get(first.url)}` },
      }
      for (const path of [`/${mainScript}`, `/api/orgs/${orgId}/customers?limit=50`]) {
        const res = await fetch(`${first.url}${path}`, gzip)
        expect(res.status, path).toBe(200)
        expect(res.headers.get('content-encoding'), path).toBe('gzip')
        expect(res.headers.get('vary') ?? '', path).toMatch(/accept-encoding/i)
        await res.arrayBuffer()
      }
      const page = await api(first.url, `/orgs/${orgId}/customers?limit=1&sort=name`)
      const customer = (page.json.data as { id: string }[])[0] as { id: string }
      renamedId = customer.id
      const renamed = await api(first.url, `/customers/${renamedId}`, {
        method: 'PATCH',
        body: JSON.stringify({ name: 'Renamed before restart' }),
      })
      expect(renamed.status).toBe(200)
    } finally {
      expect(await stopStackProcess(first.child, 'SIGINT')).toBe(0)
    }
    expect(first.output()).toContain('Stopping')
    if (!serverUrl) expect(existsSync(`${join(dataDir, 'pglite')}.lock`)).toBe(false)

    const second = await startStackProcess(env)
    try {
      tokens.set(second.url, await signIn(second.url, second.output()))
      expect(second.output()).toContain('demo data already there')
      const again = await api(second.url, `/customers/${renamedId}`)
      expect(again.json.name).toBe('Renamed before restart')
    } finally {
      expect(await stopStackProcess(second.child, 'SIGINT')).toBe(0)
    }
    console.log(
      `npm start: banner after ${Math.round(first.startupMs)} ms (first run), ${Math.round(second.startupMs)} ms (restart)`,
    )
  })

  it('should stop cleanly when npm itself is sent SIGTERM, as process managers do', async () => {
    const stack = await startStackProcess(env, 120_000, { viaNpm: true })
    const lock = `${join(dataDir, 'pglite')}.lock`
    if (!serverUrl) expect(existsSync(lock)).toBe(true)
    stack.child.kill('SIGTERM')
    // npm passes the signal to its shell, not to the stack: the stack must see its parent go.
    await expect
      .poll(
        async () => {
          const answered = await fetch(`${stack.url}/api/health`).then(
            () => true,
            () => false,
          )
          return answered || (!serverUrl && existsSync(lock))
        },
        { timeout: 30_000, interval: 250 },
      )
      .toBe(false)
    expect(stack.output()).toContain('Stopping')
  })

  it('should start again after being killed in the middle of writing', async () => {
    const stack = await startStackProcess(env)
    tokens.set(stack.url, await signIn(stack.url, stack.output()))
    const me = await api(stack.url, '/me')
    const orgId = (me.json.memberships as { org_id: string }[])[0]?.org_id as string
    // Writes in flight when the process dies: none may leave the database unreadable.
    const writes = Array.from({ length: 40 }, (_, i) =>
      api(stack.url, `/orgs/${orgId}/customers`, {
        method: 'POST',
        body: JSON.stringify({ name: `Burst ${i}` }),
      }).catch(() => undefined),
    )
    await new Promise((resolve) => setTimeout(resolve, 150))
    await stopStackProcess(stack.child, 'SIGKILL')
    await Promise.all(writes)

    const restarted = await startStackProcess(env)
    try {
      tokens.set(restarted.url, await signIn(restarted.url, restarted.output()))
      const page = await api(restarted.url, `/orgs/${orgId}/customers?limit=100&q=Burst`)
      expect(page.status).toBe(200)
      // Each write either happened completely or not at all: no half-written rows.
      for (const c of page.json.data as { name: string }[]) expect(c.name).toMatch(/^Burst \d+$/)
    } finally {
      expect(await stopStackProcess(restarted.child, 'SIGINT')).toBe(0)
    }
  })
})
