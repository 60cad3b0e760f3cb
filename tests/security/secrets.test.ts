import bcrypt from 'bcryptjs'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createLocalAuth } from '../../scripts/local/auth/index.ts'
import { deriveApiKey, localJwtSecret } from '../../scripts/local/keys.ts'
import { buildWeb, type WebAsset } from '../../scripts/web/build.ts'
import { apiClient, createTestApp, testJwtSecret, tokenFor } from '../support/api.ts'
import { createAuthUser, createFixture, type Fixture } from '../support/fixtures.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'

/**
 * Secrets stay where they belong: nothing in the built dashboard but what a
 * browser may hold (the anon key comes from config.json at run time, not the
 * build), and no token, password or webhook secret in any log line.
 */

const text = (asset: WebAsset) => new TextDecoder().decode(asset.body)

/** The payload of every JWT-shaped string in a text. */
function jwtPayloads(source: string): Record<string, unknown>[] {
  return [...source.matchAll(/eyJ[A-Za-z0-9_-]{5,}\.(eyJ[A-Za-z0-9_-]{5,})\.[A-Za-z0-9_-]{10,}/g)].flatMap(
    (m) => {
      try {
        return [JSON.parse(Buffer.from(m[1] as string, 'base64url').toString('utf8'))]
      } catch {
        return []
      }
    },
  )
}

describe('the built web assets', () => {
  let assets: WebAsset[]
  let forbidden: Record<string, string>

  beforeAll(async () => {
    assets = (await buildWeb()).assets
    forbidden = {
      'the local service role key': await deriveApiKey(localJwtSecret, 'service_role'),
      'the local JWT secret': localJwtSecret,
      'the test JWT secret': testJwtSecret,
      'a database URL': 'postgres://',
      'a database URL (postgresql)': 'postgresql://',
      'a private key': 'PRIVATE KEY-----',
      'the service role key variable': 'SUPABASE_SERVICE_ROLE_KEY',
      'the jobs secret variable': 'JOBS_SECRET',
    }
  }, 120_000)

  it('should build something to scan', () => {
    expect(assets.map((a) => a.path)).toContain('index.html')
    expect(assets.some((a) => a.path.endsWith('.js') && a.body.byteLength > 10_000)).toBe(true)
  })

  it('should contain none of the secrets, in any asset (source maps included)', () => {
    const found = assets.flatMap((asset) =>
      Object.entries(forbidden)
        .filter(([, secret]) => text(asset).includes(secret))
        .map(([what]) => `${asset.path}: ${what}`),
    )
    expect(found).toEqual([])
  })

  it('should hold no token but anon ones (a key baked into the build)', () => {
    const roles = assets.flatMap((asset) =>
      jwtPayloads(text(asset)).map((p) => `${asset.path}: ${String(p.role)}`),
    )
    expect(roles.filter((line) => !line.endsWith(': anon'))).toEqual([])
  })

  it('should be able to see a planted secret (the scan is not blind)', () => {
    const planted: WebAsset = {
      ...(assets[0] as WebAsset),
      body: new TextEncoder().encode(`x=${forbidden['the local service role key']}`),
    }
    expect(Object.values(forbidden).some((secret) => text(planted).includes(secret))).toBe(true)
    expect(jwtPayloads(text(planted)).map((p) => p.role)).toEqual(['service_role'])
  })
})

describe('logs', () => {
  let t: TestDatabase
  let f: Fixture
  const consoleLines: string[] = []

  beforeAll(async () => {
    t = await createTestDatabase()
    f = await createFixture(t.db)
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const)
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        consoleLines.push(
          args
            .map((a) => (typeof a === 'string' ? a : JSON.stringify(a, Object.getOwnPropertyNames(a ?? {}))))
            .join(' '),
        )
      })
  })
  afterAll(async () => {
    vi.restoreAllMocks()
    await t?.close()
  })

  /** Every secret, in the forms it travels in: as is, base64 (Basic), base64url. */
  const forms = (secret: string) => [
    secret,
    Buffer.from(secret).toString('base64'),
    Buffer.from(secret).toString('base64url'),
  ]

  function expectNoSecretIn(lines: string[], secrets: Record<string, string>) {
    expect(lines.length).toBeGreaterThan(0)
    const leaks = Object.entries(secrets).flatMap(([what, secret]) =>
      forms(secret).some((form) => lines.some((line) => line.includes(form))) ? [what] : [],
    )
    expect(leaks).toEqual([])
  }

  it('should keep tokens, integration secrets and webhook credentials out of the API’s log lines', async () => {
    const { app, logs } = createTestApp(t.db, { LOG_LEVEL: 'debug' })
    const request = apiClient(app)
    const admin = await tokenFor(f.users.admin.id)
    const expired = await tokenFor(f.users.rep.id, { expiresIn: Math.floor(Date.now() / 1000) - 3600 })
    const forged = await tokenFor(f.users.rep.id, { secret: 'another-secret-that-is-at-least-32-characters' })
    const hubspotSecret = 'hubspot-client-secret-for-the-log-test'

    expect((await request('GET', '/me', { token: admin })).status).toBe(200)
    expect((await request('GET', '/me', { token: expired })).status).toBe(401)
    expect((await request('GET', '/me', { token: forged })).status).toBe(401)
    const hubspot = await request('POST', `/orgs/${f.orgA}/integrations`, {
      token: admin,
      body: { provider: 'hubspot', name: 'HubSpot', secret: hubspotSecret },
    })
    expect(hubspot.status, hubspot.text).toBe(201)
    const pipedrive = await request('POST', `/orgs/${f.orgA}/integrations`, {
      token: admin,
      body: { provider: 'pipedrive', name: 'Pipedrive' },
    })
    expect(pipedrive.status, pipedrive.text).toBe(201)
    const generated = pipedrive.json.secret as string
    expect(generated).toEqual(expect.any(String))
    // A delivery with the right credentials, one with wrong ones, and a rotation carrying a new secret.
    const delivery = JSON.stringify({
      meta: { id: 'evt-log-1', action: 'change', entity: 'person', entity_id: 1 },
      data: {},
    })
    for (const credentials of [generated, 'user:wrong-password-for-the-log-test']) {
      await app.request(`/api/webhooks/pipedrive/${pipedrive.json.id}`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Basic ${Buffer.from(credentials).toString('base64')}`,
        },
        body: delivery,
      })
    }
    const rotated = 'hubspot-rotated-secret-for-the-log-test'
    expect(
      (
        await request('PATCH', `/integrations/${hubspot.json.id}`, {
          token: admin,
          body: { secret: rotated },
        })
      ).status,
    ).toBe(200)

    const lines = [...logs.map((line) => JSON.stringify(line)), ...consoleLines]
    expectNoSecretIn(lines, {
      'an access token': admin,
      'an expired token': expired,
      'a forged token': forged,
      "an access token's signature": admin.split('.')[2] as string,
      'a HubSpot client secret': hubspotSecret,
      'a rotated secret': rotated,
      'Pipedrive credentials': generated,
      'the password of Pipedrive credentials': generated.split(':')[1] as string,
      'wrong credentials': 'wrong-password-for-the-log-test',
      'the JWT secret': testJwtSecret,
    })
  })

  it('should keep passwords and issued tokens out of local auth’s logs', async () => {
    const password = 'correct horse battery staple 42'
    const user = await createAuthUser(t.db, `log-test-${Date.now()}@a.example.com`)
    await t.db.query(
      `update auth.users set encrypted_password = $2, instance_id = '00000000-0000-0000-0000-000000000000' where id = $1`,
      [user.id, bcrypt.hashSync(password, 4)],
    )
    const anonKey = await deriveApiKey(localJwtSecret, 'anon')
    const serviceRoleKey = await deriveApiKey(localJwtSecret, 'service_role')
    const authLog: string[] = []
    const auth = createLocalAuth({
      db: t.db,
      jwtSecret: localJwtSecret,
      anonKey,
      serviceRoleKey,
      siteUrl: 'http://localhost:8787',
      log: (error) => authLog.push(String(error instanceof Error ? error.stack : error)),
    })
    const grant = (pw: string) =>
      auth.request('/token?grant_type=password', {
        method: 'POST',
        headers: { apikey: anonKey, 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: user.email, password: pw }),
      })
    const ok = await grant(password)
    expect(ok.status, await ok.clone().text()).toBe(200)
    const session = (await ok.json()) as { access_token: string; refresh_token: string }
    expect((await grant('wrong horse battery staple')).status).toBe(400)
    // Nothing above is expected to log; a marker line makes "no line at all" fail loudly rather than pass.
    consoleLines.push('marker')
    expectNoSecretIn([...authLog, ...consoleLines], {
      'the password': password,
      'a wrong password': 'wrong horse battery staple',
      'the access token': session.access_token,
      'the refresh token': session.refresh_token,
      'the service role key': serviceRoleKey,
      'the JWT secret': localJwtSecret,
    })
  })
})
