import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair, type JWK, SignJWT, UnsecuredJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testJwtSecret } from '../../../tests/support/api.ts'
import { createTokenVerifier, InvalidTokenError } from './verify-token.ts'

const userId = '6f1c1a52-2f0e-4a57-9d59-0d9f3b7c2a11'
const secretKey = new TextEncoder().encode(testJwtSecret)
const now = new Date('2026-03-01T12:00:00Z')
const nowSeconds = Math.floor(now.getTime() / 1000)

/** A Supabase-shaped access token, every claim overridable; `undefined` leaves a claim out. */
function claims(overrides: Record<string, unknown> = {}) {
  const all: Record<string, unknown> = {
    sub: userId,
    aud: 'authenticated',
    role: 'authenticated',
    iat: nowSeconds - 60,
    exp: nowSeconds + 3600,
    ...overrides,
  }
  return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined))
}

const hs = (overrides: Record<string, unknown> = {}, alg = 'HS256') =>
  new SignJWT(claims(overrides)).setProtectedHeader({ alg, typ: 'JWT' }).sign(secretKey)

describe('createTokenVerifier with the HS256 secret', () => {
  const verify = createTokenVerifier({ secret: testJwtSecret, clock: () => now })

  it('should return the claims of a valid token', async () => {
    expect(await verify(await hs({ email: 'rep@example.com' }))).toMatchObject({
      sub: userId,
      aud: 'authenticated',
      role: 'authenticated',
      email: 'rep@example.com',
    })
  })

  it('should say when the token has expired', async () => {
    await expect(verify(await hs({ exp: nowSeconds - 31 }))).rejects.toThrow(
      new InvalidTokenError('The token has expired.'),
    )
  })

  it('should still accept a token that expired within the 30 s clock skew', async () => {
    expect((await verify(await hs({ exp: nowSeconds - 20 }))).sub).toBe(userId)
  })

  it('should refuse a token without exp', async () => {
    await expect(verify(await hs({ exp: undefined }))).rejects.toThrow(
      new InvalidTokenError("The token's exp claim is not accepted."),
    )
  })

  it('should refuse a token for an audience other than authenticated', async () => {
    for (const aud of ['anon', 'service_role', ['anon']]) {
      await expect(verify(await hs({ aud }))).rejects.toThrow(
        new InvalidTokenError("The token's aud claim is not accepted."),
      )
    }
  })

  it('should refuse a token without aud', async () => {
    await expect(verify(await hs({ aud: undefined }))).rejects.toBeInstanceOf(InvalidTokenError)
  })

  it('should refuse a token that is not valid yet (nbf beyond the skew)', async () => {
    await expect(verify(await hs({ nbf: nowSeconds + 120 }))).rejects.toBeInstanceOf(InvalidTokenError)
  })

  it('should refuse a token issued in the future (iat beyond the skew), and accept one within it', async () => {
    await expect(verify(await hs({ iat: nowSeconds + 120 }))).rejects.toThrow(
      new InvalidTokenError("The token's iat claim is not accepted."),
    )
    expect((await verify(await hs({ iat: nowSeconds + 20 }))).sub).toBe(userId)
  })

  it('should check iss only when an issuer is configured', async () => {
    const issuer = 'https://project-ref.supabase.co/auth/v1'
    const strict = createTokenVerifier({ secret: testJwtSecret, issuer, clock: () => now })
    expect((await strict(await hs({ iss: issuer }))).sub).toBe(userId)
    await expect(strict(await hs({ iss: 'https://other.supabase.co/auth/v1' }))).rejects.toThrow(
      new InvalidTokenError("The token's iss claim is not accepted."),
    )
    await expect(strict(await hs())).rejects.toBeInstanceOf(InvalidTokenError)
    expect((await verify(await hs({ iss: 'https://other.supabase.co/auth/v1' }))).sub).toBe(userId)
  })

  it('should refuse a token without a user id in sub', async () => {
    await expect(verify(await hs({ sub: undefined }))).rejects.toBeInstanceOf(InvalidTokenError)
    await expect(verify(await hs({ sub: 'admin' }))).rejects.toThrow(
      new InvalidTokenError('The token has no user (sub).'),
    )
  })

  it('should refuse an unsigned token (alg none)', async () => {
    const unsigned = new UnsecuredJWT(claims()).encode()
    expect(unsigned.endsWith('.')).toBe(true)
    await expect(verify(unsigned)).rejects.toBeInstanceOf(InvalidTokenError)
  })

  it('should refuse a token signed with HS512, even with the right secret', async () => {
    await expect(verify(await hs({}, 'HS512'))).rejects.toThrow(
      new InvalidTokenError('The token is not signed with an accepted algorithm.'),
    )
  })

  it('should refuse a token signed with another secret', async () => {
    const forged = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('another-secret-that-is-at-least-32-characters'))
    await expect(verify(forged)).rejects.toThrow(new InvalidTokenError('The token is not valid.'))
  })

  it('should refuse a token whose payload was edited after signing', async () => {
    const [header, , signature] = (await hs()).split('.')
    const payload = Buffer.from(JSON.stringify(claims({ sub: '00000000-0000-4000-8000-000000000000' })))
    const tampered = `${header}.${payload.toString('base64url')}.${signature}`
    await expect(verify(tampered)).rejects.toBeInstanceOf(InvalidTokenError)
  })

  it('should return role authenticated when the token claims service_role', async () => {
    expect((await verify(await hs({ role: 'service_role' }))).role).toBe('authenticated')
  })

  it('should need a secret or a JWKS URL', () => {
    expect(() => createTokenVerifier({})).toThrow(/secret or a JWKS URL/)
  })
})

describe('createTokenVerifier with a JWKS', () => {
  let server: Server
  let jwksUrl: string
  let jwksRequests = 0
  let privateKey: CryptoKey
  let otherPrivateKey: CryptoKey
  const kid = 'test-key-1'

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256')
    privateKey = pair.privateKey
    otherPrivateKey = (await generateKeyPair('ES256')).privateKey
    const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid, alg: 'ES256', use: 'sig' }
    const body = JSON.stringify({ keys: [jwk] })
    server = createServer((req, res) => {
      if (req.url !== '/auth/v1/.well-known/jwks.json') {
        res.writeHead(404).end()
        return
      }
      jwksRequests++
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(body)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    jwksUrl = `http://127.0.0.1:${port}/auth/v1/.well-known/jwks.json`
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  const es = (key: CryptoKey, overrides: Record<string, unknown> = {}, keyId = kid) =>
    new SignJWT(claims(overrides)).setProtectedHeader({ alg: 'ES256', kid: keyId, typ: 'JWT' }).sign(key)

  it('should verify an ES256 token against the project’s JWKS, fetched once and cached', async () => {
    const verify = createTokenVerifier({ jwksUrl, clock: () => now })
    const before = jwksRequests
    for (let i = 0; i < 5; i++) {
      const verified = await verify(await es(privateKey, { email: `rep${i}@example.com` }))
      expect(verified).toMatchObject({ sub: userId, role: 'authenticated', email: `rep${i}@example.com` })
    }
    expect(jwksRequests - before).toBe(1)
  })

  it('should refuse a token signed by another key with the same kid', async () => {
    const verify = createTokenVerifier({ jwksUrl, clock: () => now })
    await expect(verify(await es(otherPrivateKey))).rejects.toThrow(
      new InvalidTokenError('The token is not valid.'),
    )
  })

  it('should refuse a token signed by a key the JWKS does not list', async () => {
    const verify = createTokenVerifier({ jwksUrl, clock: () => now })
    await expect(verify(await es(otherPrivateKey, {}, 'unknown-key'))).rejects.toBeInstanceOf(
      InvalidTokenError,
    )
  })

  it('should apply the same claim rules to JWKS tokens', async () => {
    const verify = createTokenVerifier({ jwksUrl, clock: () => now })
    await expect(verify(await es(privateKey, { exp: nowSeconds - 60 }))).rejects.toThrow(
      new InvalidTokenError('The token has expired.'),
    )
    await expect(verify(await es(privateKey, { aud: 'anon' }))).rejects.toBeInstanceOf(InvalidTokenError)
    expect((await verify(await es(privateKey, { role: 'service_role' }))).role).toBe('authenticated')
  })

  it('should refuse an HS256 token when only the JWKS is configured (no algorithm confusion)', async () => {
    const verify = createTokenVerifier({ jwksUrl, clock: () => now })
    await expect(verify(await hs())).rejects.toThrow(
      new InvalidTokenError('The token is not signed with an accepted algorithm.'),
    )
  })

  it('should take HS256 tokens to the secret and the others to the JWKS when both are set', async () => {
    const verify = createTokenVerifier({ secret: testJwtSecret, jwksUrl, clock: () => now })
    expect((await verify(await hs())).sub).toBe(userId)
    expect((await verify(await es(privateKey))).sub).toBe(userId)
    await expect(verify(await hs({}, 'HS512'))).rejects.toBeInstanceOf(InvalidTokenError)
  })
})
