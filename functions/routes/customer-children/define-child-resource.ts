import { z } from '@hono/zod-openapi'
import type { Sql } from '../../db/sql.ts'
import {
  bearerAuth,
  createApiRoute,
  IdempotencyKeyHeader,
  IfMatchHeader,
  jsonBody,
  jsonContent,
  notModifiedResponse,
  problemResponses,
} from '../../http/openapi-common.ts'
import { IdParams, PageQuery } from '../../http/params.ts'
import { createRouter } from '../../http/router.ts'
import { childHandlers } from './child-handlers.ts'

/**
 * What makes one kind of customer child (contacts, teams, processes, services,
 * documents) different from the others. They share one rule set in the schema
 * (readable by the organization, writable by whoever may write the customer,
 * org_id always the customer's), so they share these five endpoints too:
 *
 *   GET    /customers/{id}/<table>   a keyset page of the customer's rows
 *   POST   /customers/{id}/<table>   create (Idempotency-Key)
 *   GET    /<table>/{id}             one row with its ETag
 *   PATCH  /<table>/{id}             strict partial change (If-Match)
 *   DELETE /<table>/{id}             (If-Match)
 */
export interface ChildResource<
  Row extends z.ZodObject = z.ZodObject,
  Create extends z.ZodObject = z.ZodObject,
  Patch extends z.ZodType = z.ZodType,
> {
  /** The table in `public`, which is also the path segment. */
  table: string
  /** One row in words, for summaries and 404s: `contact`. */
  noun: string
  /** OpenAPI names: `Contact`, `ContactCreate`, `ContactPatch` (the page is named here). */
  schemas: { row: Row; create: Create; patch: Patch }
  /** The columns a client sets (create and patch), with the SQL type each value is cast to. */
  columns: Record<string, string>
  /** Casts when reading, where the driver would return a string: `{ monthly_hours: 'float8' }`. */
  readAs?: Record<string, string>
  /** Sortable columns besides name, created_at and updated_at (NOT NULL columns only: keyset needs them). */
  sortKeys?: readonly string[]
  /** The sort of a list when the client names none, e.g. `name` or `-created_at`. */
  defaultSort: string
  /**
   * Columns the server derives on insert, as SQL (sql`…`) over `c` (the
   * customer row), `n.id` (the new row's id) and the body's values as parameters.
   */
  derived?: Record<string, (body: z.output<Create>) => Sql>
  /** False where rows arise another way (documents: by uploading a file); no create route then. */
  creatable?: boolean
}

const identifier = /^[a-z_]+$/

/** The sort keys of a kind's lists, each with its SQL type for the cursor cast. */
export function childSorts(resource: ChildResource): Record<string, string> {
  const sorts: Record<string, string> = { name: 'text', created_at: 'timestamptz', updated_at: 'timestamptz' }
  for (const key of resource.sortKeys ?? []) {
    const type = resource.columns[key]
    if (!type) throw new Error(`${resource.table}: sort key ${key} is not a column`)
    sorts[key] = type
  }
  return sorts
}

function childRoutes(resource: ChildResource) {
  const { table, noun, schemas } = resource
  const capitalized = (word: string) => `${word.charAt(0).toUpperCase()}${word.slice(1)}`
  const tags = [capitalized(table)]
  const sortKeys = Object.keys(childSorts(resource))
  const sorts = sortKeys.flatMap((key) => [key, `-${key}`]) as [string, ...string[]]
  const ListQuery = PageQuery.extend({
    sort: z
      .enum(sorts)
      .default(resource.defaultSort)
      .openapi({ description: 'A column, `-` first for descending' }),
  })
  const Page = z
    .object({ data: z.array(schemas.row), next_cursor: z.string().nullable() })
    .openapi(`${capitalized(noun)}Page`)
  const ofCustomer = `/customers/{id}/${table}`
  const one = `/${table}/{id}`

  return {
    list: createApiRoute({
      method: 'get',
      path: ofCustomer,
      tags,
      security: bearerAuth,
      summary: `List a customer’s ${table}, by keyset cursor`,
      request: { params: IdParams, query: ListQuery },
      responses: { 200: jsonContent(Page, `A page of ${table}`), ...problemResponses(404) },
    }),
    create: createApiRoute({
      method: 'post',
      path: ofCustomer,
      tags,
      security: bearerAuth,
      summary: `Add a ${noun} to a customer`,
      request: { params: IdParams, headers: IdempotencyKeyHeader, body: jsonBody(schemas.create) },
      responses: {
        201: jsonContent(schemas.row, `The new ${noun}`),
        ...problemResponses(403, 404, 409, 422),
      },
    }),
    getOne: createApiRoute({
      method: 'get',
      path: one,
      tags,
      security: bearerAuth,
      summary: `A ${noun}, with its ETag`,
      request: { params: IdParams },
      responses: {
        200: jsonContent(schemas.row, `The ${noun}`),
        ...notModifiedResponse,
        ...problemResponses(404),
      },
    }),
    patch: createApiRoute({
      method: 'patch',
      path: one,
      tags,
      security: bearerAuth,
      summary: `Change a ${noun}`,
      request: { params: IdParams, headers: IfMatchHeader, body: jsonBody(schemas.patch) },
      responses: {
        200: jsonContent(schemas.row, `The changed ${noun}`),
        ...problemResponses(403, 404, 409, 412, 422),
      },
    }),
    remove: createApiRoute({
      method: 'delete',
      path: one,
      tags,
      security: bearerAuth,
      summary: `Delete a ${noun}`,
      request: { params: IdParams, headers: IfMatchHeader },
      responses: { 204: { description: 'Deleted' }, ...problemResponses(403, 404, 412) },
    }),
  }
}

export type ChildRoutes = ReturnType<typeof childRoutes>

/** The router of one kind of child: its five routes, described for OpenAPI with the kind's own schemas. */
export function defineChildResource<
  Row extends z.ZodObject,
  Create extends z.ZodObject,
  Patch extends z.ZodType,
>(resource: ChildResource<Row, Create, Patch>) {
  const columnNames = [
    resource.table,
    ...Object.keys(resource.schemas.row.shape),
    ...Object.keys(resource.columns),
    ...Object.keys(resource.derived ?? {}),
  ]
  for (const column of columnNames) {
    // They are spliced into SQL: only our own plain identifiers.
    if (!identifier.test(column)) throw new Error(`${resource.table}: not an identifier: ${column}`)
  }
  // Typed as any child: each kind's precise shapes live in its zod schemas, which OpenAPI is built from.
  const child = resource as unknown as ChildResource
  const routes = childRoutes(child)
  const handlers = childHandlers(child)
  const router = createRouter().openapi(routes.list, handlers.list)
  if (resource.creatable !== false) router.openapi(routes.create, handlers.create)
  return router
    .openapi(routes.getOne, handlers.getOne)
    .openapi(routes.patch, handlers.patch)
    .openapi(routes.remove, handlers.remove)
}
