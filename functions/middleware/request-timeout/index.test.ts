import { Hono } from 'hono'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AppDependencies, AppEnv } from '../../context.ts'
import { listen } from '../../entries/node.ts'
import { onError } from '../../problems/on-error.ts'
import { requestId } from '../request-id/index.ts'
import { requestLog } from '../request-log/index.ts'
import { requestTimeout } from './index.ts'

const ms = 200
const sleep = (wait: number) => new Promise<void>((resolve) => setTimeout(resolve, wait))

describe('requestTimeout middleware', () => {
  let app: Hono<AppEnv>
  let logs: Record<string, unknown>[]
  /** Settles when a slow handler's late work is over. */
  let lateWork: Promise<void>

  beforeEach(() => {
    logs = []
    lateWork = Promise.resolve()
    app = new Hono<AppEnv>()
    // The order createApp uses: request id and log outside, so the 503 is logged like any answer.
    app.use('*', async function provideDependencies(c, next) {
      const log = (line: Record<string, unknown>) => void logs.push(line)
      c.set('deps', { log } as unknown as Required<AppDependencies>)
      await next()
    })
    app.use(
      '*',
      requestId(),
      requestLog(),
      requestTimeout({ ms, longer: { matches: (path) => path.startsWith('/import'), ms: ms * 4 } }),
    )
    app.get('/import/late', async (c) => {
      await sleep(ms * 2)
      return c.json({ imported: true }, 201)
    })
    app.get('/fast', (c) => c.json({ ok: true }))
    app.get('/never', () => new Promise<Response>(() => {}))
    app.get('/late', async (c) => {
      lateWork = sleep(ms * 2)
      await lateWork
      return c.json({ late: true }, 201)
    })
    app.get('/late-failure', async () => {
      lateWork = sleep(ms * 2)
      await lateWork
      throw new Error('failed after the caller had gone')
    })
    app.onError(onError)
  })

  it('should give the routes it is told take longer their own limit, and only them', async () => {
    const longer = await app.request('/import/late')
    expect(longer.status).toBe(201)
    expect(await longer.json()).toEqual({ imported: true })
    const other = await app.request('/late')
    expect(other.status).toBe(503)
    await lateWork
  })

  it('should answer 503 problem+json with Retry-After when the handler never resolves', async () => {
    const started = performance.now()
    const res = await app.request('/never')
    const elapsed = performance.now() - started
    expect(res.status).toBe(503)
    expect(res.headers.get('Retry-After')).toBe('1')
    expect(res.headers.get('Content-Type')).toBe('application/problem+json')
    const body = await res.json()
    expect(body).toMatchObject({
      status: 503,
      code: 'unavailable',
      request_id: res.headers.get('X-Request-Id'),
      instance: '/never',
    })
    expect(body.detail).toContain(`${ms} ms`)
    expect(elapsed).toBeGreaterThanOrEqual(ms - 5)
    expect(elapsed).toBeLessThan(ms + 1000)
    expect(logs).toContainEqual(
      expect.objectContaining({ msg: 'request timed out', path: '/never', timeout_ms: ms }),
    )
    expect(logs).toContainEqual(expect.objectContaining({ msg: 'request', status: 503 }))
  })

  it('should leave a fast handler’s answer alone', async () => {
    const res = await app.request('/fast')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ok: true })
    expect(res.headers.get('Retry-After')).toBeNull()
    // No timer left behind to fire later and log a timeout.
    await sleep(ms * 1.5)
    expect(logs.filter((l) => l.msg !== 'request')).toEqual([])
  })

  it('should keep the 503 and drop the late result when a timed-out handler finishes', async () => {
    const res = await app.request('/late')
    expect(res.status).toBe(503)
    await lateWork
    await sleep(10)
    expect(res.status).toBe(503)
    expect((await res.json()).code).toBe('unavailable')
    expect(logs).toContainEqual(
      expect.objectContaining({ msg: 'timed-out request finished', outcome: 'completed' }),
    )
  })

  it('should log, not crash, when a timed-out handler fails later', async () => {
    const res = await app.request('/late-failure')
    expect(res.status).toBe(503)
    await lateWork
    await sleep(10)
    expect(logs).toContainEqual(
      expect.objectContaining({ msg: 'timed-out request finished', outcome: 'failed' }),
    )
    expect(logs).toContainEqual(expect.objectContaining({ msg: 'unhandled error' }))
  })

  describe('behind a real Node server', () => {
    let server: Awaited<ReturnType<typeof listen>>
    beforeEach(async () => {
      server = await listen(app.fetch, { port: 0 })
    })
    afterEach(() => server.close())

    it('should send one 503 for a late handler and keep serving', async () => {
      const res = await fetch(`${server.url}/late`)
      expect(res.status).toBe(503)
      expect((await res.json()).code).toBe('unavailable')
      await lateWork
      await sleep(10)
      const next = await fetch(`${server.url}/fast`)
      expect(next.status).toBe(200)
      expect(await next.json()).toEqual({ ok: true })
    })
  })
})
