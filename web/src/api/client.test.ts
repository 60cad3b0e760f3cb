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

  beforeAll(async () => {
    t = await createTestDatabase()
    f = await createFixture(t.db)
    const { app } = createTestApp(t.db)
    token = await tokenFor(f.users.rep.id)
    api = createApiClient({
      baseUrl: 'http://localhost/api',
      accessToken: async () => token,
      onUnauthorized: () => unauthorized++,
      fetch: async (input, init) => app.request(String(input), init),
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

  it('should fetch a file with the name the server gives it, and a problem when it is refused', async () => {
    const file = await api.file('/openapi.json')
    expect(JSON.parse(await file.blob.text()).openapi).toMatch(/^3\.1/)
    await expect(api.file(`/customers/${f.customers.orgB}`)).rejects.toMatchObject({
      status: 404,
      code: 'not_found',
    })
  })
})
