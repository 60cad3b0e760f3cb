import { SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { createTokenChecker } from './tokens.ts'

const secret = 'a-realtime-test-secret-of-at-least-32-characters'
const now = Date.UTC(2026, 10, 25, 12, 0, 0)
const nowSeconds = now / 1000
const checkToken = createTokenChecker(secret, () => now)

const sign = (claims: Record<string, unknown>, key = secret) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(key))

describe('checkToken', () => {
  it('should accept a user token as authenticated whatever role it claims', async () => {
    const token = await sign({ sub: 'u', role: 'supabase_admin', exp: nowSeconds + 60 })
    expect(await checkToken(token)).toEqual({
      ok: true,
      identity: {
        role: 'authenticated',
        claims: { sub: 'u', role: 'authenticated', exp: nowSeconds + 60 },
        exp: nowSeconds + 60,
      },
    })
  })

  it('should keep the anon and service roles of the API keys', async () => {
    for (const role of ['anon', 'service_role']) {
      const result = await checkToken(await sign({ role, exp: nowSeconds + 60 }))
      expect(result.ok && result.identity.role).toBe(role)
    }
  })

  it("should refuse an expired token with the server's message", async () => {
    expect(await checkToken(await sign({ sub: 'u', role: 'authenticated', exp: nowSeconds - 12 }))).toEqual({
      ok: false,
      code: 'InvalidJWTToken',
      message: 'Token has expired 12 seconds ago',
      expired: true,
    })
  })

  it('should refuse a token without role or exp, a forged one and a malformed one', async () => {
    expect(await checkToken(await sign({ sub: 'u', exp: nowSeconds + 60 }))).toMatchObject({
      ok: false,
      message: 'Fields `role` and `exp` are required in JWT',
    })
    expect(
      await checkToken(await sign({ role: 'authenticated', exp: nowSeconds + 60 }, `${secret}-other`)),
    ).toEqual({
      ok: false,
      code: 'JwtSignatureError',
      message: 'Failed to validate JWT signature',
    })
    expect(await checkToken('not.a.jwt')).toEqual({
      ok: false,
      code: 'MalformedJWT',
      message: 'The token provided is not a valid JWT',
    })
  })
})
