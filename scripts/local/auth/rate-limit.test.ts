import { type ServerType, serve } from '@hono/node-server'
import type { SupabaseClient } from '@supabase/supabase-js'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { localSupabaseClient } from '../../../tests/support/supabase-client.ts'
import { createTestDatabase, type TestDatabase } from '../../../tests/support/test-database.ts'
import { DEMO_PASSWORD } from '../../seed/demo-accounts.ts'
import { seedDatabase } from '../../seed/load.ts'
import { deriveApiKey } from '../keys.ts'
import { createLocalAuth, type LocalAuthOptions } from './index.ts'

const secret = 'local-auth-rate-limit-secret-with-32-characters'
const rep = 'rep@acme.example'

let testDb: TestDatabase
let anonKey: string
let serviceRoleKey: string
const servers: ServerType[] = []
/** The auths' clock, standing still unless a test moves it: buckets refill only when a test says so. */
let now = Date.now()

beforeAll(async () => {
  testDb = await createTestDatabase()
  await seedDatabase(testDb.db, { customers: 1 })
  anonKey = await deriveApiKey(secret, 'anon')
  serviceRoleKey = await deriveApiKey(secret, 'service_role')
})

afterAll(async () => {
  for (const server of servers) {
    await new Promise<void>((done) => {
      server.close(() => done())
      if ('closeAllConnections' in server) server.closeAllConnections()
    })
  }
  await testDb?.close()
})

/** A local auth of its own (its own buckets) on a real port, with these limits. */
async function authServer(options: Partial<LocalAuthOptions>): Promise<string> {
  const app = new Hono()
  const port = await new Promise<number>((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve(info.port))
    servers.push(server)
  })
  const url = `http://127.0.0.1:${port}`
  app.route(
    '/auth/v1',
    createLocalAuth({
      db: testDb.db,
      jwtSecret: secret,
      anonKey,
      serviceRoleKey,
      siteUrl: url,
      clock: () => new Date(now),
      ...options,
    }),
  )
  return url
}

const signIn = (client: SupabaseClient, email: string, password = DEMO_PASSWORD) =>
  client.auth.signInWithPassword({ email, password })

describe('sign-in rate limits', () => {
  it('should answer 429 over_request_rate_limit, as GoTrue, once an address has used its burst, and refill', async () => {
    const url = await authServer({
      rateLimits: { perAddress: { burst: 3, perFiveMinutes: 60 }, perEmail: false },
    })
    const client = localSupabaseClient(url, anonKey)
    // Right or wrong, every attempt counts, whichever email it names.
    expect((await signIn(client, rep)).error).toBeNull()
    expect((await signIn(client, rep, 'wrong')).error?.code).toBe('invalid_credentials')
    expect((await signIn(client, 'viewer@acme.example')).error).toBeNull()
    const limited = await signIn(client, 'manager@acme.example')
    expect(limited.data.session).toBeNull()
    expect(limited.error).toMatchObject({
      status: 429,
      code: 'over_request_rate_limit',
      message: 'Request rate limit reached',
    })

    // GoTrue's two shapes and its header.
    const res = await fetch(`${url}/auth/v1/token?grant_type=password`, {
      method: 'POST',
      headers: { apikey: anonKey, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: rep, password: DEMO_PASSWORD }),
    })
    expect(res.status).toBe(429)
    expect(res.headers.get('x-sb-error-code')).toBe('over_request_rate_limit')
    expect(await res.json()).toEqual({
      code: 429,
      error_code: 'over_request_rate_limit',
      msg: 'Request rate limit reached',
    })
    // Refreshing a session uses the same bucket (GoTrue's limiter covers every grant).
    const refreshed = await client.auth.refreshSession({ refresh_token: 'abcdefghijkl' })
    expect(refreshed.error).toMatchObject({ status: 429, code: 'over_request_rate_limit' })

    // 60 per five minutes: one more request every five seconds.
    now += 5_000
    expect((await signIn(client, rep)).error).toBeNull()
    expect((await signIn(client, rep)).error?.status).toBe(429)
  })

  it('should limit password attempts per email address, whatever address they come from', async () => {
    const url = await authServer({
      rateLimits: { perAddress: false, perEmail: { burst: 2, perFiveMinutes: 2 } },
      rateLimitHeader: 'X-Forwarded-For',
    })
    const attempt = (email: string, from: string) =>
      fetch(`${url}/auth/v1/token?grant_type=password`, {
        method: 'POST',
        headers: {
          apikey: anonKey,
          'Content-Type': 'application/json',
          'X-Supabase-Api-Version': '2024-01-01',
          'X-Forwarded-For': from,
        },
        body: JSON.stringify({ email, password: 'guess' }),
      })
    expect((await attempt(rep, '203.0.113.1')).status).toBe(400)
    expect((await attempt(rep.toUpperCase(), '203.0.113.2')).status).toBe(400)
    const limited = await attempt(rep, '203.0.113.3')
    expect(limited.status).toBe(429)
    expect(await limited.json()).toEqual({
      code: 'over_request_rate_limit',
      message: 'Request rate limit reached',
    })
    // Another account is not held back by this one's guesser.
    expect((await attempt('viewer@acme.example', '203.0.113.3')).status).toBe(400)
  })

  it('should key the address limit on the configured header, and on the connection otherwise', async () => {
    const behindProxy = await authServer({
      rateLimits: { perAddress: { burst: 1, perFiveMinutes: 1 }, perEmail: false },
      rateLimitHeader: 'X-Forwarded-For',
    })
    const from = (address: string) =>
      fetch(`${behindProxy}/auth/v1/token?grant_type=password`, {
        method: 'POST',
        headers: {
          apikey: anonKey,
          'Content-Type': 'application/json',
          'X-Forwarded-For': `${address}, 10.0.0.1`,
        },
        body: JSON.stringify({ email: rep, password: DEMO_PASSWORD }),
      })
    expect((await from('198.51.100.1')).status).toBe(200)
    expect((await from('198.51.100.1')).status).toBe(429)
    expect((await from('198.51.100.2')).status).toBe(200)

    // Without the option a forged X-Forwarded-For changes nothing: the socket's address is the key.
    const direct = await authServer({
      rateLimits: { perAddress: { burst: 1, perFiveMinutes: 1 }, perEmail: false },
    })
    const forged = (address: string) =>
      fetch(`${direct}/auth/v1/token?grant_type=password`, {
        method: 'POST',
        headers: { apikey: anonKey, 'Content-Type': 'application/json', 'X-Forwarded-For': address },
        body: JSON.stringify({ email: rep, password: DEMO_PASSWORD }),
      })
    expect((await forged('198.51.100.7')).status).toBe(200)
    expect((await forged('198.51.100.8')).status).toBe(429)
  })

  it('should keep GoTrue’s defaults when no limits are given: 30 at once from one address', async () => {
    const url = await authServer({})
    const statuses: number[] = []
    for (let i = 0; i < 31; i++) {
      const res = await fetch(`${url}/auth/v1/token?grant_type=password`, {
        method: 'POST',
        headers: { apikey: anonKey, 'Content-Type': 'application/json' },
        // Unknown addresses: no bcrypt of a real account, and each its own email bucket.
        body: JSON.stringify({ email: `nobody-${i}@example.com`, password: 'x' }),
      })
      statuses.push(res.status)
    }
    expect(statuses.slice(0, 30).every((s) => s === 400)).toBe(true)
    expect(statuses[30]).toBe(429)
  })
})
