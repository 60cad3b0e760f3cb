import { describe, expect, it } from 'vitest'
import { ConfigError } from '../config.ts'
import { edgeEnvironment, openEdgeRoot } from './edge.ts'

const secret = 'an-edge-jwt-secret-of-at-least-32-characters'
const dbUrl = 'postgres://postgres@127.0.0.1:5432/unused'

/** The ConfigError an environment stops the root with. */
function refusal(env: Record<string, string>): ConfigError {
  try {
    openEdgeRoot(env)
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error('expected a ConfigError')
}

describe('edgeEnvironment', () => {
  it('should take JWT_SECRET and JWT_ISSUER for the names Supabase refuses to secrets', () => {
    const issuer = 'https://abcd.supabase.co/auth/v1'
    expect(edgeEnvironment({ JWT_SECRET: secret, JWT_ISSUER: issuer })).toMatchObject({
      SUPABASE_JWT_SECRET: secret,
      SUPABASE_JWT_ISSUER: issuer,
    })
    expect(edgeEnvironment({ SUPABASE_JWT_SECRET: 'kept', JWT_SECRET: secret }).SUPABASE_JWT_SECRET).toBe(
      'kept',
    )
  })

  it('should check tokens against the project’s JWKS when no secret is set', () => {
    expect(edgeEnvironment({ SUPABASE_URL: 'https://abcd.supabase.co' }).SUPABASE_JWKS_URL).toBe(
      'https://abcd.supabase.co/auth/v1/.well-known/jwks.json',
    )
    expect(
      edgeEnvironment({ SUPABASE_URL: 'https://abcd.supabase.co', JWT_SECRET: secret }),
    ).not.toHaveProperty('SUPABASE_JWKS_URL')
  })
})

describe('openEdgeRoot', () => {
  it('should stop, naming each wrong value, before opening anything', () => {
    expect(refusal({ JWT_SECRET: secret }).issues).toEqual(['SUPABASE_DB_URL: not set (Supabase sets it)'])
    expect(
      refusal({ SUPABASE_DB_URL: 'mysql://x', PORT: 'http' })
        .issues.map((i) => i.split(':')[0])
        .sort(),
    ).toEqual(['PORT', 'SUPABASE_DB_URL', 'SUPABASE_JWT_SECRET'])
  })

  it('should leave the socket to Supabase unless PORT is set, as plain Deno needs', () => {
    expect(openEdgeRoot({ JWT_SECRET: secret, SUPABASE_DB_URL: dbUrl }).serveOptions).toEqual({})
    expect(openEdgeRoot({ JWT_SECRET: secret, SUPABASE_DB_URL: dbUrl, PORT: '8000' }).serveOptions).toEqual({
      port: 8000,
      hostname: '127.0.0.1',
    })
  })

  it('should mount the app under /api, answering without the database until a route needs it', async () => {
    const { app } = openEdgeRoot({ JWT_SECRET: secret, SUPABASE_DB_URL: dbUrl })
    const res = await app.request('/api/health')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ok' })
  })
})
