import { Hono } from 'hono'
import { beforeEach, describe, expect, it } from 'vitest'
import { testJwtSecret, tokenFor } from '../../../tests/support/api.ts'
import type { AppEnv } from '../../context.ts'
import { onError } from '../../problems/on-error.ts'
import { requestId } from '../request-id/index.ts'
import { requireUser } from './index.ts'
import { createTokenVerifier } from './verify-token.ts'

const userId = '6f1c1a52-2f0e-4a57-9d59-0d9f3b7c2a11'

describe('requireUser middleware', () => {
  let app: Hono<AppEnv>

  beforeEach(() => {
    app = new Hono<AppEnv>()
    app.use('*', requestId(), requireUser(createTokenVerifier({ secret: testJwtSecret })))
    app.get('/me', (c) => c.json(c.var.claims))
    app.onError(onError)
  })

  const get = (authorization?: string) =>
    app.request('/me', authorization === undefined ? {} : { headers: { Authorization: authorization } })

  async function expectUnauthorized(res: Response, detail: string) {
    expect(res.status).toBe(401)
    expect(res.headers.get('Content-Type')).toBe('application/problem+json')
    // RFC 6750 §3: a 401 to a protected resource names the Bearer scheme.
    expect(res.headers.get('WWW-Authenticate')).toMatch(/^Bearer realm="api"/)
    const body = await res.json()
    expect(body).toMatchObject({ status: 401, code: 'unauthorized' })
    expect(body.detail).toBe(detail)
    return body
  }

  it('should put the verified claims on the context', async () => {
    const res = await get(`Bearer ${await tokenFor(userId, { claims: { email: 'rep@example.com' } })}`)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ sub: userId, role: 'authenticated', email: 'rep@example.com' })
  })

  it('should accept the scheme in any case (RFC 9110 §11.1)', async () => {
    expect((await get(`bearer ${await tokenFor(userId)}`)).status).toBe(200)
  })

  it('should return 401 with WWW-Authenticate: Bearer when the header is missing', async () => {
    await expectUnauthorized(await get(), 'Send Authorization: Bearer <access token>.')
  })

  it.each([
    ['an empty header', ''],
    ['the scheme alone', 'Bearer'],
    ['the scheme and a space', 'Bearer '],
    ['two tokens', 'Bearer abc.def.ghi jkl'],
    ['a token with a comma', 'Bearer abc,def'],
  ])('should return 401 with WWW-Authenticate: Bearer for %s', async (_, header) => {
    await expectUnauthorized(await get(header), 'Send Authorization: Bearer <access token>.')
  })

  it('should return 401 for the Basic scheme', async () => {
    await expectUnauthorized(
      await get(`Basic ${btoa('rep@example.com:password')}`),
      'Send Authorization: Bearer <access token>.',
    )
  })

  it('should return 401 for a token that is not a JWT', async () => {
    await expectUnauthorized(await get('Bearer not-a-jwt'), 'The token is not valid.')
  })

  it('should say when the token has expired', async () => {
    const expired = await tokenFor(userId, { expiresIn: Math.floor(Date.now() / 1000) - 120 })
    await expectUnauthorized(await get(`Bearer ${expired}`), 'The token has expired.')
  })

  it('should refuse a token signed with another secret', async () => {
    const forged = await tokenFor(userId, { secret: 'another-secret-that-is-at-least-32-characters' })
    await expectUnauthorized(await get(`Bearer ${forged}`), 'The token is not valid.')
  })

  it('should take the role as authenticated even when the token claims service_role', async () => {
    const res = await get(`Bearer ${await tokenFor(userId, { claims: { role: 'service_role' } })}`)
    expect(res.status).toBe(200)
    expect((await res.json()).role).toBe('authenticated')
  })

  it('should not run the route when the token is refused', async () => {
    let ran = false
    app.get('/side-effect', (c) => {
      ran = true
      return c.text('ran')
    })
    const res = await app.request('/side-effect', { headers: { Authorization: 'Bearer x.y.z' } })
    expect(res.status).toBe(401)
    expect(ran).toBe(false)
  })
})
