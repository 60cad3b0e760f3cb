import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseApiConfig } from '../../functions/config.ts'
import { type ListeningServer, startApiServer } from '../../functions/entries/node.ts'
import { testJwtSecret, tokenFor } from '../support/api.ts'
import { createFixture, type Fixture } from '../support/fixtures.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'

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
