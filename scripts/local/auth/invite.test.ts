import { type ServerType, serve } from '@hono/node-server'
import { Hono } from 'hono'
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../../functions/app.ts'
import { parseApiConfig } from '../../../functions/config.ts'
import { localSupabaseClient } from '../../../tests/support/supabase-client.ts'
import { createTestDatabase, type TestDatabase } from '../../../tests/support/test-database.ts'
import { DEMO_PASSWORD } from '../../seed/demo-accounts.ts'
import { seedDatabase } from '../../seed/load.ts'
import { deriveApiKey } from '../keys.ts'
import type { LocalMail } from './context.ts'
import { createLocalAuth } from './index.ts'

/**
 * Inviting end to end, as on Supabase: the API asks Auth to invite (with the
 * service role key), Auth creates the invitee and "emails" the link (here:
 * hands it to `mail`), the invitee follows it and is signed in, sets a
 * password with supabase-js, signs in with it and accepts the invitation
 * through the API.
 */

const secret = 'local-auth-invite-test-secret-with-32-characters'
let testDb: TestDatabase
let server: ServerType
let url: string
let anonKey: string
let serviceRoleKey: string
const mails: LocalMail[] = []

beforeAll(async () => {
  testDb = await createTestDatabase()
  await seedDatabase(testDb.db, { customers: 1 })
  anonKey = await deriveApiKey(secret, 'anon')
  serviceRoleKey = await deriveApiKey(secret, 'service_role')
  const app = new Hono()
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve(info.port))
  })
  url = `http://127.0.0.1:${port}`
  app.route(
    '/auth/v1',
    createLocalAuth({
      db: testDb.db,
      jwtSecret: secret,
      anonKey,
      serviceRoleKey,
      siteUrl: url,
      mail: (message) => mails.push(message),
    }),
  )
  const config = parseApiConfig({ SUPABASE_URL: url, SUPABASE_JWT_SECRET: secret, CORS_ORIGINS: url })
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

const client = () => localSupabaseClient(url, anonKey)

async function signIn(email: string, password = DEMO_PASSWORD) {
  const { data, error } = await client().auth.signInWithPassword({ email, password })
  if (error || !data.session) throw new Error(`sign-in of ${email}: ${error?.message}`)
  return data.session
}

async function api(method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(`${url}/api${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  })
  const text = await res.text()
  return { status: res.status, json: text ? JSON.parse(text) : undefined }
}

async function acmeAsAdmin() {
  const admin = await signIn('admin@acme.example')
  const me = await api('GET', '/me', admin.access_token)
  const acme = (me.json.memberships as { org_id: string; org_name: string }[]).find(
    (m) => m.org_name === 'Acme Corporation',
  )
  if (!acme) throw new Error('the admin is not in Acme')
  return { token: admin.access_token, org: acme.org_id }
}

/** The fragment of a redirect as supabase-js reads it (URLSearchParams of what follows `#`). */
function fragmentOf(location: string | null): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(new URL(location ?? '').hash.slice(1)))
}

describe('an invitation, from the admin to a new member', () => {
  it('should invite by email, sign the invitee in from the link, let them set a password and accept through the API', async () => {
    const admin = await acmeAsAdmin()
    const email = 'new.hire@example.com'
    const invited = await api('POST', `/orgs/${admin.org}/invitations`, admin.token, { email, role: 'rep' })
    expect(invited.status, JSON.stringify(invited.json)).toBe(201)

    // Auth created the invitee (no password, not confirmed) and sent its link: here, to `mail`.
    const mail = mails.at(-1)
    expect(mail).toMatchObject({ to: email, type: 'invite' })
    const link = new URL(mail?.link ?? '')
    expect(`${link.origin}${link.pathname}`).toBe(`${url}/auth/v1/verify`)
    expect(link.searchParams.get('type')).toBe('invite')
    expect(link.searchParams.get('redirect_to')).toBe(url)
    const [created] = await testDb.db.query<Record<string, unknown>>(
      `select encrypted_password, email_confirmed_at, invited_at is not null as invited from auth.users where email = $1`,
      [email],
    )
    expect(created).toEqual({ encrypted_password: '', email_confirmed_at: null, invited: true })
    // Not verified yet: the invitation is nobody's to accept.
    const [profile] = await testDb.db.query<{ id: string }>('select id from public.users where email = $1', [
      email,
    ])
    expect(profile).toBeDefined()

    // The browser follows the link (no API key: the gateway leaves /verify open) and lands signed in.
    const followed = await fetch(link, { redirect: 'manual' })
    expect(followed.status).toBe(303)
    const session = fragmentOf(followed.headers.get('location'))
    expect(new URL(followed.headers.get('location') ?? '').origin).toBe(url)
    expect(session).toMatchObject({ token_type: 'bearer', type: 'invite', expires_in: '3600', sb: '' })
    expect(decodeJwt(session.access_token as string)).toMatchObject({
      email,
      amr: [{ method: 'otp', timestamp: expect.any(Number) }],
    })
    // The link is spent.
    const again = fragmentOf((await fetch(link, { redirect: 'manual' })).headers.get('location'))
    expect(again).toMatchObject({ error: 'access_denied', error_code: 'otp_expired' })

    // supabase-js takes the session from the link and sets the invitee's password.
    const invitee = client()
    const adopted = await invitee.auth.setSession({
      access_token: session.access_token as string,
      refresh_token: session.refresh_token as string,
    })
    expect(adopted.error).toBeNull()
    const updated = await invitee.auth.updateUser({ password: 'my own password' })
    expect(updated.error).toBeNull()
    expect(updated.data.user).toMatchObject({ email, email_confirmed_at: expect.any(String) })
    await invitee.auth.signOut()

    // A fresh sign-in with that password, then the invitation through the API.
    const signedIn = await signIn(email, 'my own password')
    const mine = await api('GET', '/me/invitations', signedIn.access_token)
    expect(mine.json.data).toEqual([
      expect.objectContaining({
        id: invited.json.id,
        org_id: admin.org,
        org_name: 'Acme Corporation',
        role: 'rep',
      }),
    ])
    const accepted = await api('POST', `/invitations/${invited.json.id}/accept`, signedIn.access_token)
    expect(accepted).toEqual({
      status: 200,
      json: { org_id: admin.org, org_name: 'Acme Corporation', role: 'rep', already_member: false },
    })
    const me = await api('GET', '/me', signedIn.access_token)
    expect(me.json.memberships).toEqual([
      expect.objectContaining({ org_id: admin.org, org_name: 'Acme Corporation', role: 'rep' }),
    ])
  })

  it('should sign the invitee in with supabase-js verifyOtp too (the token hash, POST /verify)', async () => {
    const admin = await acmeAsAdmin()
    const email = 'otp.hire@example.com'
    expect((await api('POST', `/orgs/${admin.org}/invitations`, admin.token, { email })).status).toBe(201)
    const tokenHash = new URL(mails.at(-1)?.link ?? '').searchParams.get('token') as string
    const verified = await client().auth.verifyOtp({ token_hash: tokenHash, type: 'invite' })
    expect(verified.error).toBeNull()
    expect(verified.data.user).toMatchObject({ email })
    const refused = await client().auth.verifyOtp({ token_hash: tokenHash, type: 'invite' })
    expect(refused.error).toMatchObject({
      status: 403,
      code: 'otp_expired',
      message: 'Email link is invalid or has expired',
    })
  })

  it('should leave an invitation to a registered address waiting in the app, without an email', async () => {
    const admin = await acmeAsAdmin()
    const sent = mails.length
    const invited = await api('POST', `/orgs/${admin.org}/invitations`, admin.token, {
      email: 'Viewer@Globex.example',
      role: 'viewer',
    })
    expect(invited.status).toBe(201)
    expect(mails.length).toBe(sent)
    const globexViewer = await signIn('viewer@globex.example')
    const mine = await api('GET', '/me/invitations', globexViewer.access_token)
    expect(mine.json.data.map((i: { id: string }) => i.id)).toEqual([invited.json.id])
  })
})

describe('an invitation the database refuses', () => {
  it('should never reach Auth: no account is created and no email goes out', async () => {
    const admin = await acmeAsAdmin()
    const manager = await signIn('manager@acme.example')
    const sent = mails.length
    const byManager = await api('POST', `/orgs/${admin.org}/invitations`, manager.access_token, {
      email: 'not.allowed@example.com',
    })
    expect(byManager.status).toBe(403)
    const aboveOwnRole = await api('POST', `/orgs/${admin.org}/invitations`, admin.token, {
      email: 'not.allowed@example.com',
      role: 'owner',
    })
    expect(aboveOwnRole.status).toBe(403)
    expect(
      (await api('POST', `/orgs/${admin.org}/invitations`, admin.token, { email: 'twice@example.com' }))
        .status,
    ).toBe(201)
    const twice = await api('POST', `/orgs/${admin.org}/invitations`, admin.token, {
      email: 'twice@example.com',
    })
    expect(twice.status).toBe(409)
    expect(mails.slice(sent).map((m) => m.to)).toEqual(['twice@example.com'])
    expect(
      (await testDb.db.query(`select 1 from auth.users where email = 'not.allowed@example.com'`)).length,
    ).toBe(0)
  })
})

describe('POST /auth/v1/invite', () => {
  const inviteAs = (token: string | undefined, body: unknown) =>
    fetch(`${url}/auth/v1/invite`, {
      method: 'POST',
      headers: {
        apikey: anonKey,
        'Content-Type': 'application/json',
        'X-Supabase-Api-Version': '2024-01-01',
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
    })

  it('should serve the service role only', async () => {
    const none = await inviteAs(undefined, { email: 'a@example.com' })
    expect(none.status).toBe(401)
    expect(await none.json()).toEqual({
      code: 'no_authorization',
      message: 'This endpoint requires a valid Bearer token',
    })
    const anon = await inviteAs(anonKey, { email: 'a@example.com' })
    expect(anon.status).toBe(403)
    expect(await anon.json()).toEqual({ code: 'not_admin', message: 'User not allowed' })
    const user = await inviteAs((await signIn('owner@acme.example')).access_token, { email: 'a@example.com' })
    expect(user.status).toBe(403)
    expect((await testDb.db.query(`select 1 from auth.users where email = 'a@example.com'`)).length).toBe(0)
  })

  it('should answer as GoTrue: the user, 422 email_exists for a confirmed address, 400 for a bad one', async () => {
    const res = await inviteAs(serviceRoleKey, {
      email: 'Fresh@Example.com',
      data: { display_name: 'Fresh Face' },
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      email: 'fresh@example.com',
      role: 'authenticated',
      aud: 'authenticated',
      invited_at: expect.any(String),
      user_metadata: { display_name: 'Fresh Face' },
      app_metadata: { provider: 'email', providers: ['email'] },
      identities: [expect.objectContaining({ provider: 'email', email: 'fresh@example.com' })],
    })
    // Invited again before confirming: a new link, the same user.
    expect((await inviteAs(serviceRoleKey, { email: 'fresh@example.com' })).status).toBe(200)
    expect((await testDb.db.query(`select 1 from auth.users where email = 'fresh@example.com'`)).length).toBe(
      1,
    )

    const taken = await inviteAs(serviceRoleKey, { email: 'rep@acme.example' })
    expect(taken.status).toBe(422)
    expect(taken.headers.get('x-sb-error-code')).toBe('email_exists')
    expect(await taken.json()).toEqual({
      code: 'email_exists',
      message: 'A user with this email address has already been registered',
    })
    const bad = await inviteAs(serviceRoleKey, { email: 'not-an-address' })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toEqual({
      code: 'validation_failed',
      message: 'Unable to validate email address: invalid format',
    })
  })
})

describe('PUT /auth/v1/user', () => {
  it('should refuse a short password and the same password, as GoTrue', async () => {
    const rep = client()
    await rep.auth.signInWithPassword({ email: 'rep2@acme.example', password: DEMO_PASSWORD })
    const short = await rep.auth.updateUser({ password: 'abc' })
    expect(short.error).toMatchObject({ status: 422, code: 'weak_password' })
    const same = await rep.auth.updateUser({ password: DEMO_PASSWORD })
    expect(same.error).toMatchObject({
      status: 422,
      code: 'same_password',
      message: 'New password should be different from the old password.',
    })
  })
})

describe('the API when Auth cannot be reached', () => {
  it('should answer 503 and write no invitation', async () => {
    const config = parseApiConfig({ SUPABASE_URL: 'http://127.0.0.1:9', SUPABASE_JWT_SECRET: secret })
    const offline = createApp({ db: testDb.db, config, log: () => {} })
    const admin = await acmeAsAdmin()
    const res = await offline.request(`/api/orgs/${admin.org}/invitations`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${admin.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'unreachable@example.com' }),
    })
    expect(res.status).toBe(503)
    expect((await res.json()).code).toBe('unavailable')
    expect(
      (await testDb.db.query(`select 1 from public.invitations where email = 'unreachable@example.com'`))
        .length,
    ).toBe(0)
  })
})
