import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { conditionalGet, noneMatch } from './conditional-get.ts'

describe('noneMatch', () => {
  it('should name the ETag when the header is it, a list holding it, its weak form or *', () => {
    expect(noneMatch('"7"', '"7"')).toBe(true)
    expect(noneMatch('"1", "7"', '"7"')).toBe(true)
    expect(noneMatch('W/"7"', '"7"')).toBe(true)
    expect(noneMatch(' * ', '"7"')).toBe(true)
  })

  it('should not name it when absent, another tag, or the same digits unquoted', () => {
    expect(noneMatch(undefined, '"7"')).toBe(false)
    expect(noneMatch('"70"', '"7"')).toBe(false)
    expect(noneMatch('7', '"7"')).toBe(false)
    expect(noneMatch('', '"7"')).toBe(false)
  })
})

describe('conditionalGet', () => {
  const app = new Hono().get('/thing', (c) => conditionalGet(c, '"42"', () => c.json({ id: 1 }, 200)))

  it('should answer the representation with its ETag and private, no-cache', async () => {
    const res = await app.request('/thing')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ id: 1 })
    expect(res.headers.get('ETag')).toBe('"42"')
    expect(res.headers.get('Cache-Control')).toBe('private, no-cache')
  })

  it('should answer 304 without a body, still with the ETag, when If-None-Match names it', async () => {
    const res = await app.request('/thing', { headers: { 'If-None-Match': '"41", "42"' } })
    expect(res.status).toBe(304)
    expect(await res.text()).toBe('')
    expect(res.headers.get('ETag')).toBe('"42"')
  })

  it('should answer 200 when the client holds an older version', async () => {
    expect((await app.request('/thing', { headers: { 'If-None-Match': '"41"' } })).status).toBe(200)
  })
})
