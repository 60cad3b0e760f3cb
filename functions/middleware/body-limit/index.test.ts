import { Hono } from 'hono'
import { beforeEach, describe, expect, it } from 'vitest'
import { createTestApp } from '../../../tests/support/api.ts'
import type { AppEnv } from '../../context.ts'
import type { Database } from '../../db/database.ts'
import { requestId } from '../request-id/index.ts'
import { bodyLimit } from './index.ts'

/** None of these requests reach the database. */
const noDatabase = {} as Database
const limit = 1024

/** A body sent in chunks without Content-Length, as `Transfer-Encoding: chunked` arrives. */
function streamed(totalBytes: number, chunkBytes = 256): RequestInit {
  let sent = 0
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= totalBytes) return controller.close()
      const size = Math.min(chunkBytes, totalBytes - sent)
      sent += size
      controller.enqueue(new Uint8Array(size).fill(0x61))
    },
  })
  return { method: 'POST', body, duplex: 'half' } as RequestInit
}

describe('bodyLimit middleware', () => {
  let app: Hono<AppEnv>

  beforeEach(() => {
    app = new Hono<AppEnv>()
    app.use('*', requestId(), bodyLimit(limit))
    app.post('/echo', async (c) => c.json({ bytes: (await c.req.arrayBuffer()).byteLength }))
  })

  it('should let a GET through without looking for a body, whatever its headers claim', async () => {
    app.get('/read', (c) => c.json({ ok: true }))
    // Reading the body of a GET is what cost the time (the Node adapter builds a whole Request
    // for it): this one throws if anything asks.
    const request = new Request('http://localhost/read', {
      headers: { 'Content-Length': String(limit * 10) },
    })
    Object.defineProperty(request, 'body', {
      get() {
        throw new Error('the body of a GET was read')
      },
    })
    const res = await app.fetch(request)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ok: true })
  })

  it('should return 413 problem+json when Content-Length is over the limit', async () => {
    const res = await app.request('/echo', {
      method: 'POST',
      headers: { 'Content-Length': String(limit + 1) },
      body: 'a'.repeat(limit + 1),
    })
    expect(res.status).toBe(413)
    expect(res.headers.get('Content-Type')).toBe('application/problem+json')
    const body = await res.json()
    expect(body).toMatchObject({
      status: 413,
      code: 'payload_too_large',
      detail: `The limit is ${limit} bytes.`,
      request_id: res.headers.get('X-Request-Id'),
      instance: '/echo',
    })
  })

  it('should return 413 when a streamed body without Content-Length goes over the limit', async () => {
    const init = streamed(limit * 4)
    expect(new Headers(init.headers).has('Content-Length')).toBe(false)
    const res = await app.request('/echo', init)
    expect(res.status).toBe(413)
    expect((await res.json()).code).toBe('payload_too_large')
  })

  it('should pass a body at the limit, with or without Content-Length', async () => {
    const withLength = await app.request('/echo', {
      method: 'POST',
      headers: { 'Content-Length': String(limit) },
      body: 'a'.repeat(limit),
    })
    expect(withLength.status).toBe(200)
    expect(await withLength.json()).toEqual({ bytes: limit })

    const chunked = await app.request('/echo', streamed(limit, 100))
    expect(chunked.status).toBe(200)
    expect(await chunked.json()).toEqual({ bytes: limit })
  })

  it('should leave the paths it skips to a limit of their own, and name that limit in its 413', async () => {
    const skipping = new Hono<AppEnv>()
    skipping.use('*', requestId(), bodyLimit(limit, { skip: (path) => path.startsWith('/files/') }))
    skipping.post('/files/upload', bodyLimit(limit * 4, { detail: 'Files may be 4 KiB.' }), async (c) =>
      c.json({ bytes: (await c.req.arrayBuffer()).byteLength }),
    )
    skipping.post('/echo', async (c) => c.json({ bytes: (await c.req.arrayBuffer()).byteLength }))

    const big = 'a'.repeat(limit * 2)
    expect((await skipping.request('/files/upload', { method: 'POST', body: big })).status).toBe(200)
    expect((await skipping.request('/echo', { method: 'POST', body: big })).status).toBe(413)
    const tooBig = await skipping.request('/files/upload', streamed(limit * 4 + 1))
    expect(tooBig.status).toBe(413)
    expect(await tooBig.json()).toMatchObject({ code: 'payload_too_large', detail: 'Files may be 4 KiB.' })
  })

  it('should let a request without a body through', async () => {
    app.get('/read', (c) => c.text('ok'))
    expect((await app.request('/read')).status).toBe(200)
  })

  describe('in the app', () => {
    let api: ReturnType<typeof createTestApp>['app']

    beforeEach(() => {
      api = createTestApp(noDatabase, { BODY_LIMIT_BYTES: '2048' }).app
    })

    it('should refuse an oversized body with 413 before anything reads it, even without a token', async () => {
      const res = await api.request('/api/orgs/00000000-0000-4000-8000-000000000001/customers', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Content-Length': '4096' },
        body: JSON.stringify({ name: 'x'.repeat(4070) }),
      })
      expect(res.status).toBe(413)
      expect(await res.json()).toMatchObject({
        code: 'payload_too_large',
        detail: 'The limit is 2048 bytes.',
      })
    })

    it('should refuse an oversized streamed body with 413', async () => {
      const res = await api.request(
        '/api/orgs/00000000-0000-4000-8000-000000000001/customers',
        streamed(8192),
      )
      expect(res.status).toBe(413)
      expect(res.headers.get('Content-Type')).toBe('application/problem+json')
    })

    it('should leave an import to its own limit, which runs after authentication', async () => {
      const res = await api.request('/api/orgs/00000000-0000-4000-8000-000000000001/imports/customers', {
        method: 'POST',
        headers: { 'Content-Type': 'text/csv', 'Content-Length': '4096' },
        body: `name\n${'x'.repeat(4091)}`,
      })
      expect(res.status).toBe(401)
    })

    it('should pass a body under the limit on to the next step (here: authentication)', async () => {
      const res = await api.request('/api/orgs/00000000-0000-4000-8000-000000000001/customers', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'Small' }),
      })
      expect(res.status).toBe(401)
    })
  })
})
