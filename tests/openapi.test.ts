import { Validator } from '@seriousme/openapi-schema-validator'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../functions/db/database.ts'
import { createTestApp } from './support/api.ts'
import { honoToOpenApi } from './support/observed-statuses.ts'

/** Serving the document and the docs page never touches the database. */
const noDatabase = {} as Database
const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const

interface OpenApiDocument {
  [field: string]: unknown
  openapi: string
  servers?: { url: string }[]
  paths: Record<string, Partial<Record<(typeof methods)[number], unknown>>>
}

/** `METHOD /full/path` for every operation the app actually routes. */
function routedOperations(app: ReturnType<typeof createTestApp>['app'], basePath: string): string[] {
  const own = new Set([`${basePath}/openapi.json`, `${basePath}/docs`])
  const operations = app.routes
    // Middleware is registered as ALL; the document and its page do not describe themselves.
    .filter((route) => route.method !== 'ALL' && !own.has(route.path))
    .map((route) => `${route.method} ${honoToOpenApi(route.path)}`)
  return [...new Set(operations)].sort()
}

/** `METHOD /full/path` for every operation in the document, resolved against its server URL. */
function documentedOperations(doc: OpenApiDocument): string[] {
  const server = (doc.servers?.[0]?.url ?? '/').replace(/\/$/, '')
  return Object.entries(doc.paths)
    .flatMap(([path, item]) =>
      methods.filter((m) => item[m] !== undefined).map((m) => `${m.toUpperCase()} ${server}${path}`),
    )
    .sort()
}

describe('OpenAPI document', () => {
  let app: ReturnType<typeof createTestApp>['app']
  let doc: OpenApiDocument

  beforeAll(async () => {
    app = createTestApp(noDatabase).app
    const res = await app.request('/api/openapi.json')
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toMatch(/^application\/json/)
    doc = await res.json()
  })

  it('should be served without a token', async () => {
    expect((await app.request('/api/openapi.json')).status).toBe(200)
  })

  it('should validate as OpenAPI 3.1', async () => {
    expect(doc.openapi).toMatch(/^3\.1\./)
    const validator = new Validator()
    const result = await validator.validate(structuredClone(doc))
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
    expect(validator.version).toBe('3.1')
  })

  it('should use a validator that does refuse a broken document', async () => {
    const broken = structuredClone(doc)
    delete broken.info
    expect((await new Validator().validate(broken)).valid).toBe(false)
  })

  it('should document every route the app serves', () => {
    const routed = routedOperations(app, '/api')
    expect(routed).toContain('GET /api/health')
    const documented = new Set(documentedOperations(doc))
    const undocumented = routed.filter((operation) => !documented.has(operation))
    expect(undocumented, 'routes without an OpenAPI description (register them with .openapi())').toEqual([])
  })

  it('should document only routes the app serves, at the URL a client would call', () => {
    const routed = new Set(routedOperations(app, '/api'))
    const phantom = documentedOperations(doc).filter((operation) => !routed.has(operation))
    expect(phantom, 'documented operations that no route answers').toEqual([])
  })

  it('should describe the bearer token scheme', () => {
    const components = (doc as unknown as { components: { securitySchemes: Record<string, unknown> } })
      .components
    expect(components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' })
  })

  it('should follow API_BASE_PATH', async () => {
    const moved = createTestApp(noDatabase, { API_BASE_PATH: '/v1' }).app
    const movedDoc: OpenApiDocument = await (await moved.request('/v1/openapi.json')).json()
    expect(documentedOperations(movedDoc)).toContain('GET /v1/health')
    expect(documentedOperations(movedDoc)).toEqual(routedOperations(moved, '/v1'))
  })
})

describe('API docs page', () => {
  it('should answer 200 text/html linking /api/openapi.json, without a token', async () => {
    const { app } = createTestApp(noDatabase)
    const res = await app.request('/api/docs')
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/)
    const html = await res.text()
    expect(html).toContain('href="/api/openapi.json"')
    expect(html).toMatch(/^<!doctype html>/i)
  })

  it('should describe every operation of the document, and work offline: no script, nothing from another origin', async () => {
    const { app } = createTestApp(noDatabase)
    const res = await app.request('/api/docs')
    const html = await res.text()
    const doc = (await (await app.request('/api/openapi.json')).json()) as OpenApiDocument
    for (const [path, item] of Object.entries(doc.paths))
      for (const method of methods.filter((m) => item[m] !== undefined))
        expect(html, `${method} ${path}`).toContain(
          `<span class="method ${method}">${method.toUpperCase()}</span> <code>${path}</code>`,
        )
    expect(html).not.toMatch(/<script|<link|@import|\burl\(/)
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i)
    const csp = res.headers.get('Content-Security-Policy') ?? ''
    expect(csp).toContain(`default-src 'none'`)
    expect(csp).not.toMatch(/https?:|script-src/)
  })
})
