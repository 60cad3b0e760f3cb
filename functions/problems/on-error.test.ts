import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { validator } from 'hono/validator'
import { beforeEach, describe, expect, it } from 'vitest'
import { createTestApp, tokenFor } from '../../tests/support/api.ts'
import type { AppDependencies, AppEnv } from '../context.ts'
import type { Database } from '../db/database.ts'
import { requestId } from '../middleware/request-id/index.ts'
import { onError } from './on-error.ts'
import { problems } from './problem.ts'

/** The requests that use the whole app stop before the database. */
const noDatabase = {} as Database
const secretSql = 'select password_hash from private.secret_table where id = 42'

/** A driver error whose message carries SQL, as a real one may. */
const pgError = (code: string, message: string) => Object.assign(new Error(message), { code })

describe('onError', () => {
  let app: Hono<AppEnv>
  let logs: Record<string, unknown>[]

  beforeEach(() => {
    logs = []
    app = new Hono<AppEnv>()
    app.use('*', requestId(), async function provideLog(c, next) {
      c.set('deps', {
        log: (line: Record<string, unknown>) => logs.push(line),
        config: { BODY_LIMIT_BYTES: 2048 },
      } as unknown as Required<AppDependencies>)
      await next()
    })
    app.get('/problem', () => {
      throw problems.conflict('Already there.')
    })
    app.get('/unique', () => {
      throw pgError('23505', 'duplicate key value violates unique constraint "customers_pkey"')
    })
    app.get('/serialization', () => {
      throw pgError('40001', 'could not serialize access due to read/write dependencies among transactions')
    })
    app.get('/bug', () => {
      throw new TypeError(`Cannot read properties of undefined (reading 'rows') after ${secretSql}`)
    })
    app.get('/sql-fault', () => {
      throw pgError('42P01', `relation "private.secret_table" does not exist: ${secretSql}`)
    })
    // Routes read bodies through a validator (zod-openapi's is Hono's), which raises HTTPException 400.
    app.post(
      '/json',
      validator('json', (value) => value),
      (c) => c.json(c.req.valid('json')),
    )
    app.get('/http/:status', (c) => {
      throw new HTTPException(Number(c.req.param('status')) as 400, { message: 'Something about it' })
    })
    app.onError(onError)
  })

  async function problemOf(res: Response) {
    expect(res.headers.get('Content-Type')).toBe('application/problem+json')
    return res.json()
  }

  it('should send an ApiProblem as it is', async () => {
    const res = await app.request('/problem')
    expect(res.status).toBe(409)
    expect(await problemOf(res)).toEqual({
      type: 'urn:problem:conflict',
      title: 'Conflict',
      status: 409,
      detail: 'Already there.',
      code: 'conflict',
      request_id: res.headers.get('X-Request-Id'),
      instance: '/problem',
    })
    expect(logs).toEqual([])
  })

  it('should map a Postgres error to the client’s mistake', async () => {
    const res = await app.request('/unique')
    expect(res.status).toBe(409)
    expect((await problemOf(res)).code).toBe('conflict')
  })

  it('should answer a serialization failure with 503 and Retry-After', async () => {
    const res = await app.request('/serialization')
    expect(res.status).toBe(503)
    expect(res.headers.get('Retry-After')).toBe('1')
    expect(await problemOf(res)).toMatchObject({ code: 'unavailable', status: 503 })
  })

  it.each(['/bug', '/sql-fault'])(
    'should answer an unexpected error (%s) with a 500 that says nothing of SQL, stack or message',
    async (path) => {
      const res = await app.request(path, { headers: { 'X-Request-Id': 'trace-500' } })
      expect(res.status).toBe(500)
      const text = await res.text()
      expect(JSON.parse(text)).toEqual({
        type: 'urn:problem:internal_error',
        title: 'Internal error',
        status: 500,
        detail: 'Something went wrong on our side; it has been logged.',
        code: 'internal_error',
        request_id: 'trace-500',
        instance: path,
      })
      for (const leak of [
        'select',
        'secret_table',
        'password_hash',
        ' at ',
        '.ts:',
        'Cannot read',
        'relation',
      ]) {
        expect(text).not.toContain(leak)
      }
    },
  )

  it('should log the details of an unexpected error under the request id', async () => {
    await app.request('/bug', { headers: { 'X-Request-Id': 'trace-500' } })
    expect(logs).toHaveLength(1)
    const [line] = logs
    expect(line).toMatchObject({
      level: 'error',
      msg: 'unhandled error',
      request_id: 'trace-500',
      error: { name: 'TypeError', message: expect.stringContaining('secret_table') },
    })
    expect((line?.error as { stack?: string } | undefined)?.stack).toContain('on-error.test.ts')
  })

  it('should answer malformed JSON with 400 malformed_json', async () => {
    const res = await app.request('/json', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"name":',
    })
    expect(res.status).toBe(400)
    expect((await problemOf(res)).code).toBe('malformed_json')
  })

  it('should keep the status of a client error raised as an HTTPException', async () => {
    const res = await app.request('/http/405')
    expect(res.status).toBe(405)
    expect(await problemOf(res)).toMatchObject({
      status: 405,
      code: 'bad_request',
      title: 'Something about it',
    })
  })

  it('should answer an HTTPException 413 with payload_too_large and the configured limit', async () => {
    const res = await app.request('/http/413')
    expect(res.status).toBe(413)
    expect(await problemOf(res)).toMatchObject({
      code: 'payload_too_large',
      detail: 'The limit is 2048 bytes.',
    })
  })

  it('should answer an HTTPException 415 with unsupported_media_type', async () => {
    const res = await app.request('/http/415')
    expect(res.status).toBe(415)
    expect(await problemOf(res)).toMatchObject({
      code: 'unsupported_media_type',
      detail: 'Send application/json.',
    })
  })

  it('should answer a JSON route sent another media type with 415 unsupported_media_type', async () => {
    const { app } = createTestApp(noDatabase)
    const token = await tokenFor('6f1c1a52-2f0e-4a57-9d59-0d9f3b7c2a11')
    const res = await app.request('/api/orgs/6f1c1a52-2f0e-4a57-9d59-0d9f3b7c2a11/customers', {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'text/plain' },
      body: '{"name":"Plain"}',
    })
    expect(res.status).toBe(415)
    expect(await problemOf(res)).toMatchObject({ code: 'unsupported_media_type' })
  })

  it('should hide a server-side HTTPException behind a 500', async () => {
    const res = await app.request('/http/502')
    expect(res.status).toBe(500)
    expect((await problemOf(res)).code).toBe('internal_error')
    expect(logs).toHaveLength(1)
  })
})
