import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest'
import { ConfigError, parseApiConfig } from '../../functions/config.ts'
import { pgliteDatabase, pgliteExtensions } from '../../functions/db/pglite.ts'
import { type ListeningServer, startApiServer, startNodeServer } from '../../functions/entries/node.ts'
import { testJwtSecret, tokenFor } from '../support/api.ts'
import { createFixture, type Fixture } from '../support/fixtures.ts'
import { createTestDatabase, type TestDatabase, templateTarball } from '../support/test-database.ts'

// Node serves the in-process PGlite as well as a server, so this suite runs on both.
describe('the Node entry on @hono/node-server', () => {
  let t: TestDatabase
  let f: Fixture
  let server: ListeningServer
  const config = parseApiConfig({ SUPABASE_JWT_SECRET: testJwtSecret })

  async function get(path: string, token?: string) {
    const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {}
    const res = await fetch(`${server.url}${path}`, { headers })
    // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON the API answered
    return { status: res.status, headers: res.headers, json: (await res.json()) as any }
  }

  beforeAll(async () => {
    t = await createTestDatabase()
    f = await createFixture(t.db)
    server = await startApiServer({ db: t.db, config, port: 0, log: () => {} })
  })

  afterAll(async () => {
    await server?.close()
    await t?.close()
  })

  it('should list organization A’s customers to its viewer over HTTP', async () => {
    const res = await get(`/api/orgs/${f.orgA}/customers`, await tokenFor(f.users.viewer.id))
    expect(res.status).toBe(200)
    expect(res.json.data.map((c: { id: string }) => c.id).sort()).toEqual(
      [f.customers.repOwned, f.customers.rep2Owned].sort(),
    )
  })

  it('should answer 401 as problem+json without a token', async () => {
    const res = await get(`/api/orgs/${f.orgA}/customers`)
    expect(res.status).toBe(401)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
  })

  it('should answer 404 to a member of another organization', async () => {
    const res = await get(`/api/orgs/${f.orgA}/customers`, await tokenFor(f.users.outsider.id))
    expect(res.status).toBe(404)
  })

  it('should report the database it runs on', async () => {
    const res = await get('/api/health/db')
    expect(res.status).toBe(200)
    expect(res.json.database).toBe(t.db.kind)
  })

  it('should refuse to start on a port that is taken', async () => {
    const port = Number(new URL(server.url).port)
    await expect(startApiServer({ db: t.db, config, port })).rejects.toMatchObject({ code: 'EADDRINUSE' })
  })
})

/**
 * The Node composition root as node-main.ts runs it: everything from the
 * environment (a data folder or a server database of the test's own, already
 * migrated), served on a free port, the declared schedules run at start.
 */
describe('the Node root (startNodeServer)', () => {
  let dir: string
  let t: TestDatabase | undefined
  let f: Fixture
  let env: Record<string, string>

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sales-node-root-'))
    const template = inject('testDatabase')
    if (template.kind === 'pglite') {
      // The run's migrated template, written to the folder the root will open.
      const pg = await PGlite.create({
        dataDir: join(dir, 'pglite'),
        loadDataDir: await templateTarball(template.dumpPath),
        extensions: pgliteExtensions,
      })
      f = await createFixture(pgliteDatabase(pg))
      await pg.close()
      env = { DATA_DIR: dir, DATABASE_URL: '' }
    } else {
      t = await createTestDatabase()
      f = await createFixture(t.db)
      env = { DATABASE_URL: t.url as string, DATA_DIR: dir }
    }
    Object.assign(env, { SUPABASE_JWT_SECRET: testJwtSecret, PORT: '0', LOG_LEVEL: 'silent' })
  })

  afterAll(async () => {
    await t?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('should serve the API from its environment alone and run every declared schedule at start', async () => {
    const server = await startNodeServer(env)
    try {
      const token = await tokenFor(f.users.viewer.id)
      const res = await fetch(`${server.url}/api/orgs/${f.orgA}/customers`, {
        headers: { Authorization: `Bearer ${token}` },
      })
      expect(res.status).toBe(200)
      expect(((await res.json()) as { data: unknown[] }).data).toHaveLength(2)
      expect((await fetch(`${server.url}/metrics`)).status).toBe(200)
      // The start-up run of the nightly schedule catches up on yesterday.
      await vi.waitFor(
        async () =>
          expect(
            await server.root.db.query(`select status from public.job_runs where job = 'metrics-nightly'`),
          ).toEqual([{ status: 'succeeded' }]),
        { timeout: 30_000, interval: 200 },
      )
    } finally {
      await server.close()
    }
    // Closed means closed: the folder (or the server database) opens again at once.
    const again = await startNodeServer(env)
    await again.close()
  })

  it('should stop on wrong settings before opening anything, naming each', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'sales-node-root-wrong-'))
    try {
      const error = await startNodeServer({ DATA_DIR: empty, PORT: 'http', DB_POOL_MAX: '0' }).catch((e) => e)
      expect(error).toBeInstanceOf(ConfigError)
      expect((error as ConfigError).issues.map((i) => i.split(':')[0]).sort()).toEqual([
        'DB_POOL_MAX',
        'PORT',
        'SUPABASE_JWT_SECRET',
      ])
      expect(existsSync(join(empty, 'pglite'))).toBe(false)
    } finally {
      await rm(empty, { recursive: true, force: true })
    }
  })
})
