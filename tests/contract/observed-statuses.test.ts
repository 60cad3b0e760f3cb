import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../functions/db/database.ts'
import { apiClient, createTestApp, expectAnswersDeclared, tokenFor } from '../support/api.ts'
import { createFixture, type Fixture } from '../support/fixtures.ts'
import {
  createStatusRecorder,
  declaredStatuses,
  honoToOpenApi,
  type OpenApiPaths,
  type StatusPair,
  undeclaredStatuses,
} from '../support/observed-statuses.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'

/**
 * The contract: every (method, route, status) the API answers is declared in
 * its OpenAPI document. Each route suite checks what it observed when it ends
 * (tests/support/use-api-fixture.ts, expectAnswersDeclared); this file checks
 * the checker, the answers every route shares (which no route suite needs to
 * provoke), and that no route suite goes unchecked. docs/testing.md says
 * what it cannot see.
 */

const noDatabase = {} as Database
const documentOf = async (app: ReturnType<typeof createTestApp>['app']): Promise<OpenApiPaths> =>
  (await app.request('/api/openapi.json')).json()

describe('the status recorder', () => {
  it('should name a request by its route template in OpenAPI form, HEAD as GET', () => {
    const { metrics, observed } = createStatusRecorder()
    metrics.observe({ method: 'GET', route: '/api/customers/:id', status: 304, seconds: 0 })
    metrics.observe({
      method: 'HEAD',
      route: '/api/orgs/:orgId{[0-9a-f-]+}/customers',
      status: 200,
      seconds: 0,
    })
    expect([...observed]).toEqual(['GET /api/customers/{id} 304', 'GET /api/orgs/{orgId}/customers 200'])
    expect(honoToOpenApi('/api/webhooks/:provider/:integrationId')).toBe(
      '/api/webhooks/{provider}/{integrationId}',
    )
  })

  it('should leave out what no endpoint answers: preflights, unknown paths, the document itself', () => {
    const { metrics, observed } = createStatusRecorder()
    metrics.observe({ method: 'OPTIONS', route: '/api/customers/:id', status: 204, seconds: 0 })
    metrics.observe({ method: 'GET', route: '/api/*', status: 404, seconds: 0 })
    metrics.observe({ method: 'GET', route: '/api/openapi.json', status: 200, seconds: 0 })
    expect([...observed]).toEqual([])
  })
})

describe('the check against the document', () => {
  let doc: OpenApiPaths

  beforeAll(async () => {
    doc = await documentOf(createTestApp(noDatabase).app)
  })

  it('should read the declared statuses per operation, at the URL a client calls', () => {
    const declared = declaredStatuses(doc)
    expect(declared).toContain('GET /api/customers/{id} 200')
    expect(declared).toContain('GET /api/customers/{id} 304')
    expect(declared).not.toContain('GET /api/customers/{id} 201')
  })

  it('should fail on a status the document does not declare, and only on that one', () => {
    const observed: StatusPair[] = ['GET /api/customers/{id} 200', 'GET /api/customers/{id} 304']
    expect(undeclaredStatuses(observed, doc)).toEqual([])
    // The same document without the 304: the check must catch it.
    const reduced = structuredClone(doc)
    const getOne = reduced.paths['/api/customers/{id}']?.get?.responses
    expect(getOne?.['304']).toBeDefined()
    delete getOne?.['304']
    expect(undeclaredStatuses(observed, reduced)).toEqual(['GET /api/customers/{id} 304'])
  })

  it('should fail on a route the document does not describe at all', () => {
    expect(undeclaredStatuses(['GET /api/customers/{id}/secrets 200'], doc)).toEqual([
      'GET /api/customers/{id}/secrets 200',
    ])
  })

  it('should declare on every operation the answers its shape implies (createApiRoute)', () => {
    const missing: string[] = []
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(item) as [string, Record<string, unknown>][]) {
        const responses = Object.keys((operation.responses as object | undefined) ?? {})
        const expected = [
          '503',
          ...(operation.security ? ['401'] : []),
          ...(operation.parameters || operation.requestBody ? ['400'] : []),
          ...(operation.requestBody ? ['413', '415'] : []),
        ]
        for (const status of expected) {
          if (!responses.includes(status)) missing.push(`${method.toUpperCase()} ${path} ${status}`)
        }
      }
    }
    expect(missing).toEqual([])
  })

  it('should declare no 500 but where it is an answer (a failed job)', () => {
    const with500 = [...declaredStatuses(doc)].filter((pair) => pair.endsWith(' 500'))
    expect(with500.length).toBeGreaterThan(0)
    expect(with500.filter((pair) => !pair.includes(' /api/jobs/'))).toEqual([])
  })
})

describe('the answers every route shares, observed on a real app', () => {
  let t: TestDatabase
  let f: Fixture
  let rep: string

  beforeAll(async () => {
    t = await createTestDatabase()
    f = await createFixture(t.db)
    rep = await tokenFor(f.users.rep.id)
  })
  afterAll(() => t?.close())

  /** A request set that provokes each shared answer once, and the statuses it must have produced. */
  it('should have declared 304, 400, 401, 404, 412, 413, 415 and the 201 replay as they were answered', async () => {
    const testApp = createTestApp(t.db, { BODY_LIMIT_BYTES: '1024' })
    const request = apiClient(testApp.app)
    const as = { token: rep }
    const customers = `/orgs/${f.orgA}/customers`
    const answered = [
      (await request('GET', `/customers/${f.customers.repOwned}`)).status, // no token
      (await request('GET', '/customers/not-a-uuid', as)).status,
      (await request('GET', `/customers/${f.customers.orgB}`, as)).status, // another tenant's
      (await request('POST', customers, { ...as, rawBody: '{"name":' })).status, // not JSON
      (
        await request('POST', customers, {
          ...as,
          rawBody: 'name=Ada',
          headers: { 'Content-Type': 'text/plain' },
        })
      ).status,
      (await request('POST', customers, { ...as, body: { name: 'x'.repeat(2048) } })).status,
    ]
    const created = await request('POST', customers, {
      ...as,
      body: { name: 'Contract Ltd' },
      headers: { 'Idempotency-Key': 'contract-check-0001' },
    })
    const replayed = await request('POST', customers, {
      ...as,
      body: { name: 'Contract Ltd' },
      headers: { 'Idempotency-Key': 'contract-check-0001' },
    })
    expect(replayed.headers.get('Idempotent-Replayed')).toBe('true')
    const one = `/customers/${created.json.id}`
    const read = await request('GET', one, as)
    const notModified = await request('GET', one, {
      ...as,
      headers: { 'If-None-Match': `W/${read.headers.get('ETag')}` },
    })
    const stale = await request('PATCH', one, {
      ...as,
      body: { phase: 'won' },
      headers: { 'If-Match': '"1"' },
    })
    expect([
      ...answered,
      created.status,
      replayed.status,
      read.status,
      notModified.status,
      stale.status,
    ]).toEqual([401, 400, 404, 400, 415, 413, 201, 201, 200, 304, 412])
    // Under their route, middleware's answers (401, 413) included: else the check would not see them.
    const single = '/api/customers/{id}'
    const many = '/api/orgs/{orgId}/customers'
    for (const pair of [
      `GET ${single} 401`,
      `GET ${single} 400`,
      `GET ${single} 404`,
      `GET ${single} 304`,
      `PATCH ${single} 412`,
      `POST ${many} 400`,
      `POST ${many} 413`,
      `POST ${many} 415`,
      `POST ${many} 201`,
    ] as const)
      expect(testApp.observed).toContain(pair)
    await expectAnswersDeclared(testApp)
  })

  it('should have declared the 503 a database outage answers', async () => {
    const gone = await createTestDatabase()
    await gone.close()
    const testApp = createTestApp(gone.db)
    const res = await testApp.app.request('/api/health/db')
    expect(res.status).toBe(503)
    expect(testApp.observed).toContain('GET /api/health/db 503')
    await expectAnswersDeclared(testApp)
  })
})

describe('route suites', () => {
  it('should each check their answers against the document', async () => {
    const unchecked: string[] = []
    for (const folder of ['functions/routes', 'functions/webhooks']) {
      for (const entry of await readdir(folder, { recursive: true })) {
        if (!entry.endsWith('.test.ts')) continue
        const source = await readFile(join(folder, entry), 'utf8')
        const sendsRequests = /createTestApp\(|useApiFixture\(/.test(source)
        const checks = /useApiFixture\(|expectAnswersDeclared\(/.test(source)
        if (sendsRequests && !checks) unchecked.push(join(folder, entry))
      }
    }
    // burst.test.ts builds the app only for its config: it sends no request through it.
    expect(unchecked).toEqual(['functions/webhooks/burst.test.ts'])
  })
})
