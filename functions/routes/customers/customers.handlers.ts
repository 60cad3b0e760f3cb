import type { RouteHandler } from '@hono/zod-openapi'
import type { AppEnv } from '../../context.ts'
import { isoTimestamp } from '../../db/timestamps.ts'
import { decodeCursor } from '../../http/cursor.ts'
import { etagOf, ifMatchVersion, versionString } from '../../http/etag.ts'
import { idempotent } from '../../http/idempotency.ts'
import { keysetPage } from '../../http/keyset-page.ts'
import { problems } from '../../problems/problem.ts'
import { asCaller } from '../../queries/as-caller.ts'
import {
  type CustomerDbRow,
  createCustomers,
  customerWithCounts,
  deleteCustomerOrExplain,
  listCustomers,
  updateCustomerOrExplain,
} from '../../queries/customers.ts'
import { assertOrgVisible } from '../../queries/visibility.ts'
import type * as routes from './customers.routes.ts'

const toCustomer = (row: CustomerDbRow) => ({
  id: row.id,
  org_id: row.org_id,
  name: row.name,
  phase: row.phase,
  owner_id: row.owner_id,
  external_ids: row.external_ids,
  created_at: isoTimestamp(row.created_at),
  updated_at: isoTimestamp(row.updated_at),
  version: versionString(row.version),
})

export const list: RouteHandler<typeof routes.list, AppEnv> = async (c) => {
  const { orgId } = c.req.valid('param')
  const { cursor, ...query } = c.req.valid('query')
  const after = decodeCursor(cursor, query.sort)
  const rows = await asCaller(c, (tx) => listCustomers(tx, orgId, { ...query, after }))
  return c.json(keysetPage(rows, query.limit, query.sort, toCustomer), 200)
}

export const create: RouteHandler<typeof routes.create, AppEnv> = async (c) => {
  const { orgId } = c.req.valid('param')
  const body = c.req.valid('json')
  const result = await asCaller(c, async (tx) => {
    await assertOrgVisible(tx, orgId)
    return idempotent(c, tx, async () => {
      const [customer] = await createCustomers(tx, orgId, [
        { name: body.name, phase: body.phase, ownerId: body.owner_id },
      ])
      if (!customer) throw new Error('the new customer was not returned')
      return {
        status: 201,
        body: toCustomer(customer),
        headers: {
          ETag: etagOf(customer.version),
          Location: `${c.var.deps.config.API_BASE_PATH}/customers/${customer.id}`,
        },
      }
    })
  })
  for (const [name, value] of Object.entries(result.headers ?? {})) c.header(name, value)
  if (result.replayed) c.header('Idempotent-Replayed', 'true')
  return c.json(result.body as ReturnType<typeof toCustomer>, 201)
}

export const getOne: RouteHandler<typeof routes.getOne, AppEnv> = async (c) => {
  const { id } = c.req.valid('param')
  const row = await asCaller(c, (tx) => customerWithCounts(tx, id))
  if (!row) throw problems.notFound('customer')
  // This representation changes when a record is added or removed, not only
  // when the customer does: its ETag carries the counts after the version, or
  // a cache would answer 304 with stale counts. If-Match compares the version.
  const etag = etagOf(`${row.version}-${Object.values(row.counts).join('.')}`)
  c.header('ETag', etag)
  c.header('Cache-Control', 'private, no-cache')
  if (c.req.header('If-None-Match') === etag) return c.body(null, 304) as never
  return c.json({ ...toCustomer(row), counts: row.counts }, 200)
}

export const patch: RouteHandler<typeof routes.patch, AppEnv> = async (c) => {
  const { id } = c.req.valid('param')
  const body = c.req.valid('json')
  const expectedVersion = ifMatchVersion(c)
  const row = await asCaller(c, (tx) =>
    updateCustomerOrExplain(tx, {
      id,
      name: body.name,
      phase: body.phase,
      ownerId: body.owner_id,
      expectedVersion,
    }),
  )
  c.header('ETag', etagOf(row.version))
  return c.json(toCustomer(row), 200)
}

export const remove: RouteHandler<typeof routes.remove, AppEnv> = async (c) => {
  const { id } = c.req.valid('param')
  const expectedVersion = ifMatchVersion(c)
  await asCaller(c, (tx) => deleteCustomerOrExplain(tx, id, expectedVersion))
  return c.body(null, 204)
}
