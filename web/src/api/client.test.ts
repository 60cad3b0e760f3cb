import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, tokenFor } from '../../../tests/support/api.ts'
import { createFixture, type Fixture } from '../../../tests/support/fixtures.ts'
import { createTestDatabase, type TestDatabase } from '../../../tests/support/test-database.ts'
import { ApiError } from './api-error.ts'
import { type ApiClient, createApiClient } from './client.ts'
import type { Customer } from './types.ts'

/** The dashboard's client against the real app (its fetch is the app's own request handler). */
describe('the dashboard’s API client', () => {
  let t: TestDatabase
  let f: Fixture
  let api: ApiClient
  let unauthorized = 0
  let token: string | null
  /** The X-Request-Id of every call, in order, as the client sent it and as the API answered. */
  const ids: { sent: string | null; answered: string | null }[] = []

  beforeAll(async () => {
    t = await createTestDatabase()
    f = await createFixture(t.db)
    const { app } = createTestApp(t.db)
    token = await tokenFor(f.users.rep.id)
    api = createApiClient({
      baseUrl: 'http://localhost/api',
      accessToken: async () => token,
      onUnauthorized: () => unauthorized++,
      fetch: async (input, init) => {
        const response = await app.request(String(input), init)
        const sent = new Headers(init?.headers).get('X-Request-Id')
        ids.push({ sent, answered: response.headers.get('X-Request-Id') })
        return response
      },
    })
  })
  afterAll(() => t?.close())

  it('should send If-Match from a version and turn a 412 into an ApiError with its code', async () => {
    const customer = await api.get<Customer>(`/customers/${f.customers.repOwned}`)
    const renamed = await api.patch<Customer>(`/customers/${customer.id}`, {
      body: { name: 'Client Test Ltd' },
      ifMatch: customer.version,
    })
    expect(renamed.version).not.toBe(customer.version)
    const stale = await api
      .patch(`/customers/${customer.id}`, { body: { name: 'Too late' }, ifMatch: customer.version })
      .catch((e: unknown) => e)
    expect(stale).toBeInstanceOf(ApiError)
    expect(stale).toMatchObject({ status: 412, code: 'precondition_failed' })
  })

  it('should report a refused token once to the app, and a failed network as status 0', async () => {
    const saved = token
    token = 'not-a-token'
    await expect(api.get('/me')).rejects.toMatchObject({ status: 401, code: 'unauthorized' })
    expect(unauthorized).toBe(1)
    token = saved
    const offline = createApiClient({
      baseUrl: 'http://127.0.0.1:9/api',
      accessToken: async () => null,
      onUnauthorized: () => {},
    })
    await expect(offline.get('/health')).rejects.toMatchObject({ status: 0, code: 'network' })
  })

  it('should send a fresh X-Request-Id on every call, which the API keeps', async () => {
    ids.length = 0
    await api.get('/me')
    await api.get('/me')
    await api.file('/openapi.json')
    expect(ids).toHaveLength(3)
    for (const { sent, answered } of ids) {
      expect(sent).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
      expect(answered).toBe(sent)
    }
    expect(new Set(ids.map((id) => id.sent)).size).toBe(3)
  })

  it('should put the request id on the error of a failed call, as header and problem carry it', async () => {
    ids.length = 0
    const missing = await api.get(`/customers/${f.customers.orgB}`).catch((e: unknown) => e)
    expect(missing).toMatchObject({ status: 404, code: 'not_found', requestId: ids[0]?.sent })
    expect((missing as ApiError).problem?.request_id).toBe(ids[0]?.sent)
  })

  it('should keep the sent request id on a network failure', async () => {
    let sent: string | null = null
    const offline = createApiClient({
      baseUrl: 'http://localhost/api',
      accessToken: async () => null,
      onUnauthorized: () => {},
      fetch: async (_input, init) => {
        sent = new Headers(init?.headers).get('X-Request-Id')
        throw new TypeError('Failed to fetch')
      },
    })
    const error = await offline.get('/health').catch((e: unknown) => e)
    expect(error).toMatchObject({ status: 0, code: 'network' })
    expect((error as ApiError).requestId).toBe(sent)
    expect(sent).toBeTruthy()
  })

  it('should fetch a file with the name the server gives it, and a problem when it is refused', async () => {
    const file = await api.file('/openapi.json')
    expect(JSON.parse(await file.blob.text()).openapi).toMatch(/^3\.1/)
    await expect(api.file(`/customers/${f.customers.orgB}`)).rejects.toMatchObject({
      status: 404,
      code: 'not_found',
    })
  })
})
