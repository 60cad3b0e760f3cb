import type { Database } from '../../../functions/db/database.ts'
import { createTestApp } from '../../support/api.ts'

/** A JSON Schema as the OpenAPI document writes it (the parts these suites read). */
export interface JsonSchema {
  type?: string | string[]
  properties?: Record<string, JsonSchema>
  required?: string[]
  additionalProperties?: boolean
  enum?: unknown[]
  allOf?: JsonSchema[]
  $ref?: string
  [keyword: string]: unknown
}

interface OpenApiParameter {
  name: string
  in: 'path' | 'query' | 'header'
  required?: boolean
  schema?: JsonSchema
}

export interface Operation {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT'
  /** The path under the base path, as the document writes it: `/customers/{id}`. */
  path: string
  pathParams: string[]
  queryParams: OpenApiParameter[]
  /** The body schema's component name (`CustomerCreate`), when the operation takes JSON. */
  bodyName?: string
  body?: JsonSchema
  /** Needs no user token (health, the document, webhooks signed by the CRM, the scheduler's job). */
  public: boolean
}

export const basePath = '/api'

/** Routes that a user token does not open: they have their own authentication or none. */
const publicPaths = [/^\/health/, /^\/webhooks\//, /^\/jobs\//]

/**
 * Every operation of the app's own OpenAPI document, so a route added later is
 * enumerated by these suites without anyone remembering to list it.
 */
export async function loadOperations(): Promise<{
  operations: Operation[]
  resolve: (s: JsonSchema) => JsonSchema
}> {
  // Serving the document never touches the database.
  const { app } = createTestApp({} as Database)
  const doc = (await (await app.request(`${basePath}/openapi.json`)).json()) as {
    paths: Record<
      string,
      Record<
        string,
        { parameters?: OpenApiParameter[]; requestBody?: { content: Record<string, { schema: JsonSchema }> } }
      >
    >
    components: { schemas: Record<string, JsonSchema> }
  }
  const resolve = (schema: JsonSchema): JsonSchema => {
    if (schema.$ref)
      return resolve(doc.components.schemas[schema.$ref.split('/').pop() as string] as JsonSchema)
    if (schema.allOf) return Object.assign({}, ...schema.allOf.map(resolve), { allOf: undefined })
    return schema
  }
  const operations: Operation[] = []
  for (const [fullPath, item] of Object.entries(doc.paths)) {
    const path = fullPath.slice(basePath.length)
    for (const [method, op] of Object.entries(item)) {
      const params = op.parameters ?? []
      const bodyRef = op.requestBody?.content['application/json']?.schema
      operations.push({
        method: method.toUpperCase() as Operation['method'],
        path,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: params.filter((p) => p.in === 'query'),
        ...(bodyRef ? { bodyName: bodyRef.$ref?.split('/').pop() ?? 'inline', body: resolve(bodyRef) } : {}),
        public: publicPaths.some((re) => re.test(path)),
      })
    }
  }
  return { operations, resolve }
}

/** Values for the query parameters an operation requires, by name. */
const requiredQueryValues: Record<string, string> = { from: '2026-01-01', to: '2026-01-31' }

/** `?from=…&to=…` for the query parameters an operation cannot go without (or ''). */
export function requiredQuery(op: Operation, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams()
  for (const param of op.queryParams.filter((p) => p.required)) {
    const value = requiredQueryValues[param.name]
    if (value === undefined) throw new Error(`${op.method} ${op.path}: no example value for ?${param.name}`)
    query.set(param.name, value)
  }
  for (const [name, value] of Object.entries(extra)) query.set(name, value)
  const text = query.toString()
  return text ? `?${text}` : ''
}

export const describeOperation = (op: Operation) => `${op.method} ${op.path}`

/** Puts ids into a path template: `/customers/{id}` with `{ id: … }`. */
export function fillPath(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name]
    if (value === undefined) throw new Error(`No value for {${name}} in ${template}`)
    return encodeURIComponent(value)
  })
}
