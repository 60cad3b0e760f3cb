import { createHmac } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, exportSPKI, generateKeyPair, type JWK, SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tableChecksums } from '../../scripts/db/backup/checksums.ts'
import { apiClient, createTestApp, testJwtSecret, tokenFor } from '../support/api.ts'
import { createFixture, type Fixture } from '../support/fixtures.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'

/**
 * Token attacks through the whole app, for what the verifier's unit tests
 * (functions/middleware/auth/verify-token.test.ts, index.test.ts) do not
 * already cover: docs/security.md maps every item of the checklist to its test.
 */

const secretKey = new TextEncoder().encode(testJwtSecret)
const nowSeconds = () => Math.floor(Date.now() / 1000)

describe('access tokens, through the app', () => {
  let t: TestDatabase
  let f: Fixture
  let integrationId: string
  let jwksServer: Server
  let jwksUrl: string
  let jwksRequests = 0
  let attackerRequests = 0
  let attackerUrl: string
  let privateKey: CryptoKey
  let publicJwk: JWK
  let publicPem: string
  let attackerKey: CryptoKey
  let attackerJwk: JWK
  const kid = 'project-key-1'

  beforeAll(async () => {
    t = await createTestDatabase()
    f = await createFixture(t.db)
    const [row] = await t.db.query<{ id: string }>(
      `insert into public.integrations (org_id, provider, name) values ($1, 'pipedrive', 'Admins only') returning id`,
      [f.orgA],
    )
    integrationId = row?.id as string
    const pair = await generateKeyPair('RS256', { extractable: true })
    privateKey = pair.privateKey
    publicJwk = { ...(await exportJWK(pair.publicKey)), kid, alg: 'RS256', use: 'sig' }
    publicPem = await exportSPKI(pair.publicKey)
    const attacker = await generateKeyPair('RS256', { extractable: true })
    attackerKey = attacker.privateKey
    attackerJwk = { ...(await exportJWK(attacker.publicKey)), kid: 'attacker', alg: 'RS256' }
    jwksServer = createServer((req, res) => {
      if (req.url === '/attacker/jwks.json') {
        attackerRequests++
        res
          .writeHead(200, { 'Content-Type': 'application/json' })
          .end(JSON.stringify({ keys: [attackerJwk] }))
        return
      }
      jwksRequests++
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ keys: [publicJwk] }))
    })
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve))
    const { port } = jwksServer.address() as AddressInfo
    jwksUrl = `http://127.0.0.1:${port}/auth/v1/.well-known/jwks.json`
    attackerUrl = `http://127.0.0.1:${port}/attacker/jwks.json`
  })
  afterAll(async () => {
    await new Promise<void>((resolve) => jwksServer?.close(() => resolve()))
    await t?.close()
  })

  const claims = (overrides: Record<string, unknown> = {}) =>
    Object.fromEntries(
      Object.entries({
        sub: f.users.rep.id,
        aud: 'authenticated',
        role: 'authenticated',
        iat: nowSeconds() - 60,
        exp: nowSeconds() + 3600,
        ...overrides,
      }).filter(([, v]) => v !== undefined),
    )
  const hs = (
    overrides: Record<string, unknown> = {},
    header: Record<string, unknown> = {},
    key = secretKey,
  ) => new SignJWT(claims(overrides)).setProtectedHeader({ alg: 'HS256', typ: 'JWT', ...header }).sign(key)
  const rs = (
    overrides: Record<string, unknown> = {},
    header: Record<string, unknown> = {},
    key = privateKey,
  ) =>
    new SignJWT(claims(overrides)).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT', ...header }).sign(key)

  /** GET /me as the token's bearer: 200 only for a token the API accepts. */
  async function me(app: ReturnType<typeof createTestApp>['app'], authorization: string | string[]) {
    const headers = new Headers()
    for (const value of [authorization].flat()) headers.append('Authorization', value)
    const res = await app.request('/api/me', { headers })
    return {
      status: res.status,
      type: res.headers.get('Content-Type'),
      body: await res.text(),
      www: res.headers.get('WWW-Authenticate'),
    }
  }

  function expect401(res: Awaited<ReturnType<typeof me>>, detail?: RegExp) {
    expect(res.status, res.body).toBe(401)
    expect(res.type).toBe('application/problem+json')
    expect(res.www).toMatch(/^Bearer realm="api"/)
    if (detail) expect(JSON.parse(res.body).detail).toMatch(detail)
  }

  describe('with the HS256 secret', () => {
    const app = () => createTestApp(t.db).app

    it('should accept the control token, so each refusal below is the attack’s doing', async () => {
      expect((await me(app(), `Bearer ${await hs()}`)).status).toBe(200)
    })

    it('should refuse a token issued in the future (iat beyond the clock skew)', async () => {
      expect401(await me(app(), `Bearer ${await hs({ iat: nowSeconds() + 3600 })}`), /iat/)
    })

    it('should refuse a token not valid before a time in the future (nbf)', async () => {
      expect401(await me(app(), `Bearer ${await hs({ nbf: nowSeconds() + 3600 })}`), /nbf/)
    })

    it('should refuse a token signed with the secret but declaring a critical header it does not know', async () => {
      // jose will not sign this (RFC 7515 §4.1.11), so it is signed by hand.
      const part = (json: unknown) => Buffer.from(JSON.stringify(json)).toString('base64url')
      const input = `${part({ alg: 'HS256', typ: 'JWT', crit: ['x-unknown'], 'x-unknown': 1 })}.${part(claims())}`
      const signature = createHmac('sha256', testJwtSecret).update(input).digest('base64url')
      expect401(await me(app(), `Bearer ${input}.${signature}`))
      // The same hand-made signing, without crit, is accepted: the refusal is crit's.
      const plain = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims())}`
      const plainSignature = createHmac('sha256', testJwtSecret).update(plain).digest('base64url')
      expect((await me(app(), `Bearer ${plain}.${plainSignature}`)).status).toBe(200)
    })

    it.each([
      ['a JWE-shaped token (five segments)', 'Bearer a.b.c.d.e'],
      ['four segments', 'Bearer a.b.c.d'],
      ['a header that is not base64url JSON', 'Bearer !!!.e30.sig'],
      ['a header that is JSON null', `Bearer ${Buffer.from('null').toString('base64url')}.e30.sig`],
      ['a header 64 KB long', `Bearer ${'a'.repeat(65_536)}.e30.sig`],
      ['a token with a newline in it', 'Bearer abc.def\n.ghi'],
      ['the token twice', null],
      ['a quoted token', 'Bearer "abc.def.ghi"'],
      ['Bearer with a tab', 'Bearer\tabc.def.ghi'],
      ['the Token scheme', 'Token abc.def.ghi'],
    ])('should answer 401, never a 5xx, to %s', async (name, header) => {
      const token = await hs()
      const value = header ?? [`Bearer ${token}`, `Bearer ${token}`]
      let res: Awaited<ReturnType<typeof me>>
      try {
        res = await me(app(), value)
      } catch (error) {
        // Headers itself refuses a newline: the request cannot even be made.
        expect(name).toBe('a token with a newline in it')
        expect(error).toBeInstanceOf(TypeError)
        return
      }
      expect401(res)
    })

    it('should refuse an RS256 token whose header carries its own key (jwk) or key URL (jku)', async () => {
      const withJwk = await rs({}, { kid: 'attacker', jwk: attackerJwk }, attackerKey)
      const withJku = await rs({}, { kid: 'attacker', jku: attackerUrl }, attackerKey)
      expect401(await me(app(), `Bearer ${withJwk}`))
      expect401(await me(app(), `Bearer ${withJku}`))
      expect(attackerRequests).toBe(0)
    })
  })

  describe('with the project’s JWKS (asymmetric keys)', () => {
    const jwksOnly = () => createTestApp(t.db, { SUPABASE_JWT_SECRET: '', SUPABASE_JWKS_URL: jwksUrl }).app
    const both = () => createTestApp(t.db, { SUPABASE_JWKS_URL: jwksUrl }).app

    it('should accept the control token signed by the project key', async () => {
      expect((await me(jwksOnly(), `Bearer ${await rs()}`)).status).toBe(200)
      expect((await me(both(), `Bearer ${await rs()}`)).status).toBe(200)
    })

    it('should refuse an HS256 token whose HMAC key is the public key (algorithm confusion)', async () => {
      for (const publicKeyAsSecret of [publicPem, JSON.stringify(publicJwk), publicJwk.n as string]) {
        const confused = await hs({}, { kid }, new TextEncoder().encode(publicKeyAsSecret))
        expect401(await me(jwksOnly(), `Bearer ${confused}`), /algorithm/)
        expect401(await me(both(), `Bearer ${confused}`))
      }
    })

    it('should refuse a token from an unknown kid, and one signed by another key under the project’s kid', async () => {
      expect401(await me(jwksOnly(), `Bearer ${await rs({}, { kid: 'unknown' }, attackerKey)}`))
      expect401(await me(jwksOnly(), `Bearer ${await rs({}, {}, attackerKey)}`))
    })

    it('should refuse an embedded jwk or a jku pointing at the attacker’s keys, never fetching them', async () => {
      const before = attackerRequests
      const withJwk = await rs({}, { kid: 'attacker', jwk: attackerJwk }, attackerKey)
      const withJku = await rs({}, { kid: 'attacker', jku: attackerUrl }, attackerKey)
      expect401(await me(jwksOnly(), `Bearer ${withJwk}`))
      expect401(await me(jwksOnly(), `Bearer ${withJku}`))
      expect(attackerRequests).toBe(before)
      expect(jwksRequests).toBeGreaterThan(0)
    })

    it('should refuse a tampered payload and a tampered signature of a project-signed token', async () => {
      const [header, payload, signature] = (await rs()).split('.') as [string, string, string]
      const forged = Buffer.from(JSON.stringify(claims({ sub: f.users.owner.id }))).toString('base64url')
      expect401(await me(jwksOnly(), `Bearer ${header}.${forged}.${signature}`))
      const flipped = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'AB' : 'AA'}`
      expect401(await me(jwksOnly(), `Bearer ${header}.${payload}.${flipped}`))
    })
  })

  describe('the issuer, when SUPABASE_JWT_ISSUER names it', () => {
    const issuer = 'https://project-ref.supabase.co/auth/v1'
    const app = () => createTestApp(t.db, { SUPABASE_JWT_ISSUER: issuer }).app

    it('should accept a token from that issuer', async () => {
      expect((await me(app(), `Bearer ${await hs({ iss: issuer })}`)).status).toBe(200)
    })

    it('should refuse a token from another issuer, or from none', async () => {
      expect401(
        await me(app(), `Bearer ${await hs({ iss: 'https://other-project.supabase.co/auth/v1' })}`),
        /iss/,
      )
      expect401(await me(app(), `Bearer ${await hs({ iss: undefined })}`), /iss/)
    })
  })

  describe('a role claim naming a privileged database role', () => {
    it.each(['service_role', 'postgres', 'supabase_admin', 'anon'])(
      'should still run a %s-claiming token as authenticated under RLS',
      async (role) => {
        const request = apiClient(createTestApp(t.db).app)
        const before = await tableChecksums(t.db)
        // Each succeeds only for a role that bypasses RLS: the user is a rep of A, a stranger to B.
        const rep = await tokenFor(f.users.rep.id, { claims: { role } })
        const stranger = await tokenFor(f.users.stranger.id, { claims: { role } })
        expect((await request('GET', `/integrations/${integrationId}`, { token: rep })).status).toBe(404)
        expect((await request('GET', `/customers/${f.customers.orgB}`, { token: rep })).status).toBe(404)
        expect((await request('GET', `/orgs/${f.orgB}/customers`, { token: stranger })).status).toBe(404)
        const write = await request('PATCH', `/customers/${f.customers.orgB}`, {
          token: rep,
          body: { name: 'Owned' },
        })
        expect(write.status).toBe(404)
        const create = await request('POST', `/orgs/${f.orgB}/customers`, {
          token: stranger,
          body: { name: 'Planted' },
        })
        expect(create.status).toBe(404)
        expect(await tableChecksums(t.db)).toEqual(before)
        // The same requests as the service role itself do succeed: the checks above can fail.
        const [asService] = await t.db.transaction(async (tx) => {
          await tx.query(`select set_config('role', 'service_role', true)`)
          return tx.query<{ n: number }>('select count(*)::int as n from public.integrations where id = $1', [
            integrationId,
          ])
        })
        expect(asService?.n).toBe(1)
      },
    )
  })
})
