import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { createdResponse, sendCreated } from './created.ts'

describe('a create’s answer', () => {
  const stored = createdResponse({ id: 'a1' }, { location: '/api/things/a1', etag: '"9"' })
  const app = new Hono()
    .post('/first', (c) => sendCreated<{ id: string }>(c, { ...stored, replayed: false }))
    .post('/again', (c) => sendCreated<{ id: string }>(c, { ...stored, replayed: true }))
    .post('/bare', (c) => sendCreated<{ id: string }>(c, createdResponse({ id: 'b2' })))

  it('should store 201, the body and only the headers it was given', () => {
    expect(stored).toEqual({
      status: 201,
      body: { id: 'a1' },
      headers: { Location: '/api/things/a1', ETag: '"9"' },
    })
    expect(createdResponse({ id: 'b2' }).headers).toEqual({})
  })

  it('should answer 201 with Location and ETag, and no Idempotent-Replayed the first time', async () => {
    const res = await app.request('/first', { method: 'POST' })
    expect(res.status).toBe(201)
    expect(await res.json()).toEqual({ id: 'a1' })
    expect(res.headers.get('Location')).toBe('/api/things/a1')
    expect(res.headers.get('ETag')).toBe('"9"')
    expect(res.headers.get('Idempotent-Replayed')).toBeNull()
  })

  it('should say Idempotent-Replayed: true on a replay, with the same headers', async () => {
    const res = await app.request('/again', { method: 'POST' })
    expect(res.status).toBe(201)
    expect(res.headers.get('Idempotent-Replayed')).toBe('true')
    expect(res.headers.get('Location')).toBe('/api/things/a1')
  })

  it('should send no Location or ETag it was not given', async () => {
    const res = await app.request('/bare', { method: 'POST' })
    expect(res.headers.get('Location')).toBeNull()
    expect(res.headers.get('ETag')).toBeNull()
  })
})
