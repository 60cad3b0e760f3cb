import type { RouteHandler } from '@hono/zod-openapi'
import type { AppEnv } from '../../context.ts'
import { isoTimestamp } from '../../db/timestamps.ts'
import { conditionalGet } from '../../http/conditional-get.ts'
import { createdResponse, sendCreated } from '../../http/created.ts'
import { decodeCursor } from '../../http/cursor.ts'
import { etagOf, ifMatchVersion, versionString } from '../../http/etag.ts'
import { idempotent } from '../../http/idempotency.ts'
import { keysetPage } from '../../http/keyset-page.ts'
import { problems } from '../../problems/problem.ts'
import { asCaller } from '../../queries/as-caller.ts'
import { type ChildDbRow, type ChildTable, childQueries } from '../../queries/customer-children.ts'
import { type ChildResource, type ChildRoutes, childSorts } from './define-child-resource.ts'

const timestamps = new Set(['created_at', 'updated_at'])

/**
 * The handlers of one kind of child. Every statement runs as the caller, so
 * RLS decides what is visible and writable; org_id always comes from the
 * customer row in SQL, never from the client.
 */
export function childHandlers(resource: ChildResource) {
  const { table, noun } = resource
  // Columns of the table; `version` is computed from updated_at.
  const fields = Object.keys(resource.schemas.row.shape).filter((f) => f !== 'version')
  const rows = childQueries({
    table,
    noun,
    fields,
    readAs: resource.readAs,
    columns: resource.columns,
    sorts: childSorts(resource),
    derived: resource.derived as ChildTable['derived'],
  })
  const toJson = (row: ChildDbRow) => ({
    ...Object.fromEntries(fields.map((f) => [f, timestamps.has(f) ? isoTimestamp(row[f]) : row[f]])),
    version: versionString(row.version),
  })
  const location = (c: { var: AppEnv['Variables'] }, id: string) =>
    `${c.var.deps.config.API_BASE_PATH}/${table}/${id}`

  const list: RouteHandler<ChildRoutes['list'], AppEnv> = async (c) => {
    const { id } = c.req.valid('param')
    const { limit, cursor, sort } = c.req.valid('query')
    const after = decodeCursor(cursor, sort)
    const page = await asCaller(c, (tx) => rows.list(tx, id, { sort, limit, after }))
    return c.json(keysetPage(page, limit, sort, toJson), 200)
  }

  const create: RouteHandler<ChildRoutes['create'], AppEnv> = async (c) => {
    const { id } = c.req.valid('param')
    const body = c.req.valid('json')
    const result = await asCaller(c, (tx) =>
      idempotent(c, tx, async () => {
        // No row when the customer is hidden by RLS; RLS refuses (403) when it is visible but not writable.
        const row = await rows.create(tx, id, body)
        if (!row) throw problems.notFound('customer')
        return createdResponse(toJson(row), { etag: etagOf(row.version), location: location(c, row.id) })
      }),
    )
    return sendCreated<ReturnType<typeof toJson>>(c, result)
  }

  const getOne: RouteHandler<ChildRoutes['getOne'], AppEnv> = async (c) => {
    const { id } = c.req.valid('param')
    const row = await asCaller(c, (tx) => rows.getOne(tx, id))
    if (!row) throw problems.notFound(noun)
    return conditionalGet(c, etagOf(row.version), () => c.json(toJson(row), 200))
  }

  const patch: RouteHandler<ChildRoutes['patch'], AppEnv> = async (c) => {
    const { id } = c.req.valid('param')
    const body = c.req.valid('json') as Record<string, unknown>
    const expectedVersion = ifMatchVersion(c)
    const row = await asCaller(c, (tx) => rows.update(tx, id, body, expectedVersion))
    c.header('ETag', etagOf(row.version))
    return c.json(toJson(row), 200)
  }

  const remove: RouteHandler<ChildRoutes['remove'], AppEnv> = async (c) => {
    const { id } = c.req.valid('param')
    const expectedVersion = ifMatchVersion(c)
    await asCaller(c, (tx) => rows.remove(tx, id, expectedVersion))
    return c.body(null, 204)
  }

  return { list, create, getOne, patch, remove }
}
