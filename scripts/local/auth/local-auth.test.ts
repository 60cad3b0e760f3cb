import { type ServerType, serve } from '@hono/node-server'
import { createClient, type SupabaseClient } from '@supabase/supabase-js'
import { Hono } from 'hono'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../../functions/app.ts'
import { parseApiConfig } from '../../../functions/config.ts'
import { NoRealtime } from '../../../tests/support/supabase-client.ts'
import { createTestDatabase, type TestDatabase } from '../../../tests/support/test-database.ts'
import { DEMO_PASSWORD } from '../../seed/demo-accounts.ts'
import { userId } from '../../seed/generate-accounts.ts'
import { seedDatabase } from '../../seed/load.ts'
import { deriveApiKey } from '../keys.ts'
import { createLocalAuth } from './index.ts'

const secret = 'local-auth-test-secret-with-at-least-32-characters'
const rep = 'rep@acme.example'

let testDb: TestDatabase
let server: ServerType
let url: string
let anonKey: string
/** Added to the real time by the auth's clock: lets a test step past the refresh token reuse interval. */
let clockOffset = 0

beforeAll(async () => {
  testDb = await createTestDatabase()
  await seedDatabase(testDb.db, { customers: 6 })
  anonKey = await deriveApiKey(secret, 'anon')
  const serviceRoleKey = await deriveApiKey(secret, 'service_role')
  const app = new Hono()
  const listening = await new Promise<number>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve(info.port))
  })
  url = `http://127.0.0.1:${listening}`
  const config = parseApiConfig({ SUPABASE_URL: url, SUPABASE_JWT_SECRET: secret, CORS_ORIGINS: url })
  app.route(
    '/auth/v1',
    createLocalAuth({
      db: testDb.db,
      jwtSecret: secret,
      anonKey,
      serviceRoleKey,
      siteUrl: url,
      clock: () => new Date(Date.now() + clockOffset),
    }),
  )
  app.route('/', createApp({ db: testDb.db, config, log: () => {} }))
})

afterAll(async () => {
  await new Promise<void>((done) => {
    if (!server) return done()
    server.close(() => done())
    if ('closeAllConnections' in server) server.closeAllConnections()
  })
  await testDb?.close()
})

/**
 * supabase-js 2.109 wants a WebSocket for realtime as soon as a client is
 * created, and Node 20 has none: these tests never connect, so a transport that refuses is enough.
 */

const client = (key = anonKey): SupabaseClient =>
  createClient(url, key, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: NoRealtime as never },
  })

async function signIn(email = rep) {
  const { data, error } = await client().auth.signInWithPassword({ email, password: DEMO_PASSWORD })
  expect(error).toBeNull()
  if (!data.session) throw new Error('no session')
  return data.session
}

const refresh = (refreshToken: string) => client().auth.refreshSession({ refresh_token: refreshToken })

describe('password grant', () => {
  it('should sign a seeded demo user in with supabase-js', async () => {
    const before = new Date()
    const session = await signIn()
    expect(session.token_type).toBe('bearer')
    expect(session.expires_in).toBe(3600)
    expect(session.refresh_token).toMatch(/^[a-z0-9]{12}$/)
    expect(session.user).toMatchObject({
      id: userId(rep),
      aud: 'authenticated',
      role: 'authenticated',
      email: rep,
      phone: '',
      app_metadata: { provider: 'email', providers: ['email'] },
      is_anonymous: false,
    })
    expect(session.user.identities?.[0]).toMatchObject({ provider: 'email', id: userId(rep), email: rep })
    expect(new Date(session.user.last_sign_in_at as string).getTime()).toBeGreaterThanOrEqual(
      before.getTime() - 1000,
    )

    const claims = decodeJwt(session.access_token)
    expect(claims).toMatchObject({
      iss: `${url}/auth/v1`,
      sub: userId(rep),
      aud: 'authenticated',
      role: 'authenticated',
      email: rep,
      aal: 'aal1',
      is_anonymous: false,
      user_metadata: { username: 'acme.rep' },
    })
    expect(claims.exp).toBe(session.expires_at)
    expect(claims.amr).toEqual([{ method: 'password', timestamp: expect.any(Number) }])
    const [stored] = await testDb.db.query<{ user_id: string; aal: string }>(
      'select user_id, aal::text as aal from auth.sessions where id = $1',
      [claims.session_id],
    )
    expect(stored).toEqual({ user_id: userId(rep), aal: 'aal1' })
  })

  it('should refuse a wrong password with 400 invalid_credentials', async () => {
    const { data, error } = await client().auth.signInWithPassword({ email: rep, password: 'not-it' })
    expect(data.session).toBeNull()
    expect(error).toMatchObject({
      status: 400,
      code: 'invalid_credentials',
      message: 'Invalid login credentials',
    })
  })

  it('should answer an unknown email exactly as a wrong password', async () => {
    const { error } = await client().auth.signInWithPassword({ email: 'nobody@acme.example', password: 'x' })
    expect(error).toMatchObject({
      status: 400,
      code: 'invalid_credentials',
      message: 'Invalid login credentials',
    })
  })

  it("should answer in GoTrue's original shape to a client that sends no API version", async () => {
    const res = await fetch(`${url}/auth/v1/token?grant_type=password`, {
      method: 'POST',
      headers: { apikey: anonKey, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: rep, password: 'not-it' }),
    })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({
      code: 400,
      error_code: 'invalid_credentials',
      msg: 'Invalid login credentials',
    })
  })

  it('should refuse an unconfirmed email with email_not_confirmed and a banned user with user_banned', async () => {
    const email = 'viewer@globex.example'
    await testDb.db.query('update auth.users set email_confirmed_at = null where email = $1', [email])
    const unconfirmed = await client().auth.signInWithPassword({ email, password: DEMO_PASSWORD })
    expect(unconfirmed.error).toMatchObject({ status: 400, code: 'email_not_confirmed' })

    await testDb.db.query(
      `update auth.users set email_confirmed_at = now(), banned_until = now() + interval '1 day' where email = $1`,
      [email],
    )
    const banned = await client().auth.signInWithPassword({ email, password: DEMO_PASSWORD })
    expect(banned.error).toMatchObject({ status: 400, code: 'user_banned' })
    await testDb.db.query('update auth.users set banned_until = null where email = $1', [email])
  })
})

describe('the access token', () => {
  it('should give the user back at GET /user', async () => {
    const session = await signIn()
    const { data, error } = await client().auth.getUser(session.access_token)
    expect(error).toBeNull()
    expect(data.user).toMatchObject({ id: userId(rep), email: rep, aud: 'authenticated' })
  })

  it('should be accepted unchanged by the API', async () => {
    const session = await signIn()
    const res = await fetch(`${url}/api/me`, { headers: { Authorization: `Bearer ${session.access_token}` } })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ id: userId(rep), email: rep, username: 'acme.rep' })
  })
})

describe('refresh token grant', () => {
  it('should rotate the refresh token and keep the session', async () => {
    const first = await signIn()
    const { data, error } = await refresh(first.refresh_token)
    expect(error).toBeNull()
    expect(data.session?.refresh_token).toMatch(/^[a-z0-9]{12}$/)
    expect(data.session?.refresh_token).not.toBe(first.refresh_token)
    expect(decodeJwt(data.session?.access_token as string).session_id).toBe(
      decodeJwt(first.access_token).session_id,
    )
    const [row] = await testDb.db.query<{ revoked: boolean }>(
      'select revoked from auth.refresh_tokens where token = $1',
      [first.refresh_token],
    )
    expect(row?.revoked).toBe(true)
  })

  it("should refuse a reused refresh token after the reuse interval and revoke its session's tokens", async () => {
    const first = await signIn()
    const second = (await refresh(first.refresh_token)).data.session
    // As GoTrue: the parent of the live token gives the live token back (the client lost the answer).
    expect((await refresh(first.refresh_token)).data.session?.refresh_token).toBe(second?.refresh_token)
    const third = (await refresh(second?.refresh_token as string)).data.session
    expect(third?.refresh_token).toBeDefined()

    clockOffset = 11_000
    try {
      const reused = await refresh(first.refresh_token)
      expect(reused.data.session).toBeNull()
      expect(reused.error).toMatchObject({ status: 400, code: 'refresh_token_already_used' })
      // The session's tokens were all revoked: once their own reuse interval
      // (counted from that revocation, as GoTrue counts it) is over, the live one is refused too.
      clockOffset = 22_000
      const live = await refresh(third?.refresh_token as string)
      expect(live.error).toMatchObject({ status: 400, code: 'refresh_token_already_used' })
    } finally {
      clockOffset = 0
    }
  })

  it('should refuse an unknown refresh token with refresh_token_not_found', async () => {
    const { error } = await refresh('abcdefghijkl')
    expect(error).toMatchObject({ status: 400, code: 'refresh_token_not_found' })
  })
})

describe('logout', () => {
  it('should revoke the refresh token and the session', async () => {
    const supabase = client()
    const { data } = await supabase.auth.signInWithPassword({ email: rep, password: DEMO_PASSWORD })
    const session = data.session
    if (!session) throw new Error('no session')
    const { error } = await supabase.auth.signOut()
    expect(error).toBeNull()

    const refused = await refresh(session.refresh_token)
    expect(refused.error).toMatchObject({ status: 400, code: 'refresh_token_not_found' })
    const user = await client().auth.getUser(session.access_token)
    expect(user.error?.name).toBe('AuthSessionMissingError')
  })

  it('should end only this session with scope local', async () => {
    const other = await signIn()
    const supabase = client()
    await supabase.auth.signInWithPassword({ email: rep, password: DEMO_PASSWORD })
    expect((await supabase.auth.signOut({ scope: 'local' })).error).toBeNull()
    expect((await refresh(other.refresh_token)).error).toBeNull()
  })
})

describe('the API key', () => {
  it('should refuse a request without apikey as the gateway does', async () => {
    const res = await fetch(`${url}/auth/v1/token?grant_type=password`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: rep, password: DEMO_PASSWORD }),
    })
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ message: 'No API key found in request' })
  })

  it('should refuse a wrong apikey', async () => {
    const wrong = client(await deriveApiKey('another-secret-with-at-least-32-characters', 'anon'))
    const { error } = await wrong.auth.signInWithPassword({ email: rep, password: DEMO_PASSWORD })
    expect(error?.status).toBe(401)
    expect(error?.message).toBe('Invalid authentication credentials')
  })
})
