import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import {
  apiConfigSchema,
  ConfigError,
  databaseConfigSchema,
  databaseUrlOf,
  defaultDocumentTypes,
  edgeConfigSchema,
  nodeConfigSchema,
  parseApiConfig,
  parseConfig,
  preparedStatements,
  workerConfigSchema,
} from './config.ts'

const secret = 'a-project-jwt-secret-of-at-least-32-characters'

/** The ConfigError a bad environment raises, for assertions on what it names. */
function configErrorOf(env: Record<string, unknown>, schema: z.ZodType = apiConfigSchema): ConfigError {
  try {
    parseConfig(schema, env)
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error('expected a ConfigError')
}

describe('parseApiConfig', () => {
  it('should fill in the defaults', () => {
    const config = parseApiConfig({ SUPABASE_JWT_SECRET: secret })
    expect(config).toMatchObject({
      SUPABASE_JWT_SECRET: secret,
      CORS_ORIGINS: ['http://localhost:8787'],
      API_BASE_PATH: '/api',
      BODY_LIMIT_BYTES: 1_048_576,
    })
    expect(config.SUPABASE_JWKS_URL).toBeUndefined()
  })

  it('should treat empty strings as unset, as a .env file leaves them', () => {
    const config = parseConfig(nodeConfigSchema, {
      SUPABASE_JWT_SECRET: secret,
      DATABASE_URL: '',
      CORS_ORIGINS: '',
      API_BASE_PATH: '',
      DB_PREPARE: '',
      DB_POOL_MAX: '',
      PORT: '',
    })
    expect(config.DATABASE_URL).toBeUndefined()
    expect(config.CORS_ORIGINS).toEqual(['http://localhost:8787'])
    expect(config.API_BASE_PATH).toBe('/api')
    expect(config.DB_PREPARE).toBeUndefined()
    expect(config.DB_POOL_MAX).toBe(10)
    expect(config.PORT).toBe(8787)
  })

  it('should split CORS_ORIGINS on commas, trimming spaces and dropping empty entries', () => {
    const config = parseApiConfig({
      SUPABASE_JWT_SECRET: secret,
      CORS_ORIGINS: ' https://sales.example.com ,http://localhost:5173,, ',
    })
    expect(config.CORS_ORIGINS).toEqual(['https://sales.example.com', 'http://localhost:5173'])
  })

  it('should accept * in CORS_ORIGINS', () => {
    expect(parseApiConfig({ SUPABASE_JWT_SECRET: secret, CORS_ORIGINS: '*' }).CORS_ORIGINS).toEqual(['*'])
  })

  it('should name CORS_ORIGINS when an entry is not an origin', () => {
    const error = configErrorOf({ SUPABASE_JWT_SECRET: secret, CORS_ORIGINS: 'https://ok.example.com,sales' })
    expect(error.message).toMatch(/CORS_ORIGINS/)
  })

  it('should stop with a ConfigError naming SUPABASE_JWT_SECRET when neither it nor SUPABASE_JWKS_URL is set', () => {
    const error = configErrorOf({})
    expect(error.name).toBe('ConfigError')
    expect(error.issues).toHaveLength(1)
    expect(error.issues[0]).toMatch(/^SUPABASE_JWT_SECRET: /)
    expect(error.message).toContain('SUPABASE_JWKS_URL')
  })

  it('should accept SUPABASE_JWKS_URL alone', () => {
    const jwks = 'https://abcd.supabase.co/auth/v1/.well-known/jwks.json'
    const config = parseApiConfig({ SUPABASE_JWKS_URL: jwks })
    expect(config.SUPABASE_JWKS_URL).toBe(jwks)
    expect(config.SUPABASE_JWT_SECRET).toBeUndefined()
  })

  it('should name SUPABASE_JWT_SECRET when it is too short', () => {
    const error = configErrorOf({ SUPABASE_JWT_SECRET: 'short' })
    expect(error.issues).toEqual([
      expect.stringMatching(/^SUPABASE_JWT_SECRET: must be at least 32 characters/),
    ])
  })

  it('should name SUPABASE_JWKS_URL when it is not a URL', () => {
    expect(configErrorOf({ SUPABASE_JWKS_URL: 'jwks.json' }).message).toMatch(/SUPABASE_JWKS_URL/)
  })

  it('should name DATABASE_URL when it is not a postgres:// URL', () => {
    const error = configErrorOf(
      { SUPABASE_JWT_SECRET: secret, DATABASE_URL: 'mysql://root@localhost/sales' },
      nodeConfigSchema,
    )
    expect(error.issues).toEqual(['DATABASE_URL: must be a postgres:// URL'])
    // The value itself may carry a password: the message names the variable only.
    expect(error.message).not.toContain('mysql://')
  })

  it('should accept postgres:// and postgresql:// DATABASE_URLs', () => {
    for (const url of ['postgres://postgres@127.0.0.1:5432/test', 'postgresql://u:p@db.example.com/sales']) {
      expect(parseConfig(databaseConfigSchema, { DATABASE_URL: url }).DATABASE_URL).toBe(url)
    }
  })

  it('should prefer DATABASE_URL and fall back to SUPABASE_DB_URL', () => {
    const edge = 'postgresql://postgres:pw@db.abcd.supabase.co:5432/postgres'
    const local = 'postgres://postgres@127.0.0.1:5432/test'
    for (const schema of [workerConfigSchema, edgeConfigSchema]) {
      const parse = (env: Record<string, string>) =>
        parseConfig(schema, { SUPABASE_JWT_SECRET: secret, ...env })
      expect(databaseUrlOf(parse({ SUPABASE_DB_URL: edge }))).toBe(edge)
      expect(databaseUrlOf(parse({ SUPABASE_DB_URL: edge, DATABASE_URL: local }))).toBe(local)
      expect(databaseUrlOf(parse({}))).toBeUndefined()
    }
  })

  it.each([
    ['false', false],
    ['0', false],
    ['true', true],
    ['1', true],
  ])('should parse DB_PREPARE=%s as %s on every runtime', (value, expected) => {
    for (const schema of [nodeConfigSchema, workerConfigSchema, edgeConfigSchema]) {
      const config = parseConfig(schema, { SUPABASE_JWT_SECRET: secret, DB_PREPARE: value })
      expect(preparedStatements(config, !expected)).toBe(expected)
    }
  })

  it('should leave DB_PREPARE unset to each runtime: prepared on Node and Workers, not on Edge Functions', () => {
    const env = { SUPABASE_JWT_SECRET: secret }
    expect(preparedStatements(parseConfig(nodeConfigSchema, env), true)).toBe(true)
    expect(preparedStatements(parseConfig(workerConfigSchema, env), true)).toBe(true)
    expect(preparedStatements(parseConfig(edgeConfigSchema, env), false)).toBe(false)
  })

  it('should name DB_PREPARE when it is not a boolean', () => {
    expect(configErrorOf({ SUPABASE_JWT_SECRET: secret, DB_PREPARE: 'no' }, nodeConfigSchema).issues).toEqual(
      [expect.stringMatching(/^DB_PREPARE: /)],
    )
  })

  it.each(['/api', '/functions/v1/api', '/v1.2/sales-api'])('should accept API_BASE_PATH %s', (path) => {
    expect(parseApiConfig({ SUPABASE_JWT_SECRET: secret, API_BASE_PATH: path }).API_BASE_PATH).toBe(path)
  })

  it.each(['api', '/api/', '/API', '/a b', 'https://example.com/api'])(
    'should name API_BASE_PATH when it is %s',
    (path) => {
      expect(configErrorOf({ SUPABASE_JWT_SECRET: secret, API_BASE_PATH: path }).issues).toEqual([
        'API_BASE_PATH: must be empty or like /api',
      ])
    },
  )

  it('should coerce BODY_LIMIT_BYTES and refuse one under 1 KiB', () => {
    expect(parseApiConfig({ SUPABASE_JWT_SECRET: secret, BODY_LIMIT_BYTES: '2048' }).BODY_LIMIT_BYTES).toBe(
      2048,
    )
    expect(configErrorOf({ SUPABASE_JWT_SECRET: secret, BODY_LIMIT_BYTES: '10' }).message).toMatch(
      /BODY_LIMIT_BYTES/,
    )
  })

  it('should give imports their own IMPORT_BODY_LIMIT_BYTES, 50 MiB by default, and refuse one under 1 KiB', () => {
    expect(parseApiConfig({ SUPABASE_JWT_SECRET: secret }).IMPORT_BODY_LIMIT_BYTES).toBe(52_428_800)
    expect(
      parseApiConfig({ SUPABASE_JWT_SECRET: secret, IMPORT_BODY_LIMIT_BYTES: '104857600' })
        .IMPORT_BODY_LIMIT_BYTES,
    ).toBe(104_857_600)
    for (const wrong of ['10', 'big'])
      expect(configErrorOf({ SUPABASE_JWT_SECRET: secret, IMPORT_BODY_LIMIT_BYTES: wrong }).message).toMatch(
        /IMPORT_BODY_LIMIT_BYTES/,
      )
  })

  it('should leave JOBS_SECRET unset (the jobs endpoint refuses everyone) unless it is given', () => {
    expect(parseApiConfig({ SUPABASE_JWT_SECRET: secret }).JOBS_SECRET).toBeUndefined()
    expect(parseApiConfig({ SUPABASE_JWT_SECRET: secret, JOBS_SECRET: '' }).JOBS_SECRET).toBeUndefined()
    const jobsSecret = 'a-scheduler-secret-of-at-least-32-chars'
    expect(parseApiConfig({ SUPABASE_JWT_SECRET: secret, JOBS_SECRET: jobsSecret }).JOBS_SECRET).toBe(
      jobsSecret,
    )
  })

  it('should name JOBS_SECRET when it is too short to resist guessing', () => {
    const error = configErrorOf({ SUPABASE_JWT_SECRET: secret, JOBS_SECRET: 'short' })
    expect(error.issues).toEqual([expect.stringMatching(/^JOBS_SECRET: must be at least 32 characters/)])
  })

  it('should default documents to 25 MB and PDF, images, text and Office files', () => {
    const config = parseApiConfig({ SUPABASE_JWT_SECRET: secret })
    expect(config.DOCUMENT_MAX_BYTES).toBe(25 * 1024 * 1024)
    expect(config.DOCUMENT_ALLOWED_TYPES).toEqual([...defaultDocumentTypes])
  })

  it('should split DOCUMENT_ALLOWED_TYPES on commas and name it when an entry is not a media type', () => {
    const config = parseApiConfig({
      SUPABASE_JWT_SECRET: secret,
      DOCUMENT_ALLOWED_TYPES: ' application/pdf, Text/CSV ,',
      DOCUMENT_MAX_BYTES: '1000',
    })
    expect(config.DOCUMENT_ALLOWED_TYPES).toEqual(['application/pdf', 'text/csv'])
    expect(config.DOCUMENT_MAX_BYTES).toBe(1000)
    const error = configErrorOf({ SUPABASE_JWT_SECRET: secret, DOCUMENT_ALLOWED_TYPES: 'pdf' })
    expect(error.issues).toEqual([expect.stringMatching(/^DOCUMENT_ALLOWED_TYPES\.0: must be media types/)])
    expect(configErrorOf({ SUPABASE_JWT_SECRET: secret, DOCUMENT_MAX_BYTES: '0' }).issues[0]).toMatch(
      /^DOCUMENT_MAX_BYTES:/,
    )
  })

  it('should name a missing secret together with another wrong value', () => {
    expect(
      configErrorOf({ DATABASE_URL: 'nope' }, nodeConfigSchema)
        .issues.map((issue) => issue.split(':')[0])
        .sort(),
    ).toEqual(['DATABASE_URL', 'SUPABASE_JWT_SECRET'])
  })

  it('should list every wrong value at once', () => {
    const error = configErrorOf(
      {
        SUPABASE_JWT_SECRET: secret,
        DATABASE_URL: 'nope',
        API_BASE_PATH: 'api',
        DB_PREPARE: 'maybe',
        PORT: '70000',
      },
      nodeConfigSchema,
    )
    expect(error.issues.map((issue) => issue.split(':')[0]).sort()).toEqual([
      'API_BASE_PATH',
      'DATABASE_URL',
      'DB_PREPARE',
      'PORT',
    ])
  })
})

describe('one declaration per setting, one schema per runtime', () => {
  it('should declare every DB_* setting once: the Node root reads the very schemas the developer commands read', () => {
    const database = databaseConfigSchema.shape
    for (const [name, schema] of Object.entries(database))
      expect(nodeConfigSchema.shape[name as keyof typeof nodeConfigSchema.shape], name).toBe(schema)
    for (const runtime of [workerConfigSchema, edgeConfigSchema])
      expect(runtime.shape.DATABASE_URL).toBe(database.DATABASE_URL)
    expect(workerConfigSchema.shape.DB_PREPARE).toBe(database.DB_PREPARE)
    expect(edgeConfigSchema.shape.DB_PREPARE).toBe(database.DB_PREPARE)
  })

  it('should give the developer commands the database settings alone, with their defaults, no JWT secret needed', () => {
    expect(parseConfig(databaseConfigSchema, {})).toEqual({
      DATA_DIR: '.data',
      DB_POOL_MAX: 10,
      DB_CONNECT_TIMEOUT_SECONDS: 10,
      DB_IDLE_TIMEOUT_SECONDS: 300,
      DB_QUEUE_TIMEOUT_MS: 10_000,
    })
    expect(() => parseConfig(databaseConfigSchema, { DB_POOL_MAX: '0' })).toThrow(/DB_POOL_MAX/)
  })

  it('should require a token key of the Node, Worker and Edge roots alike', () => {
    for (const schema of [nodeConfigSchema, workerConfigSchema, edgeConfigSchema])
      expect(configErrorOf({ DATABASE_URL: 'postgres://db/x' }, schema).issues).toEqual([
        expect.stringMatching(/^SUPABASE_JWT_SECRET: set SUPABASE_JWT_SECRET/),
      ])
  })

  it('should listen on 127.0.0.1:8787 by default on Node, and only where PORT says on the edge', () => {
    const env = { SUPABASE_JWT_SECRET: secret }
    expect(parseConfig(nodeConfigSchema, env)).toMatchObject({ PORT: 8787, HOST: '127.0.0.1' })
    expect(parseConfig(nodeConfigSchema, { ...env, PORT: '0', HOST: '0.0.0.0' })).toMatchObject({
      PORT: 0,
      HOST: '0.0.0.0',
    })
    expect(parseConfig(edgeConfigSchema, env).PORT).toBeUndefined()
    expect(parseConfig(edgeConfigSchema, { ...env, PORT: '8000' }).PORT).toBe(8000)
    expect(configErrorOf({ ...env, PORT: 'http' }, nodeConfigSchema).issues).toEqual([
      expect.stringMatching(/^PORT: /),
    ])
  })
})
