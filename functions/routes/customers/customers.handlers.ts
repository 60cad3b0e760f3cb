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
import {
  createCustomers,
  customerWithCounts,
  deleteCustomerOrExplain,
  listCustomers,
  updateCustomerOrExplain,
  type ValuedCustomerDbRow,
  valuedCustomer,
} from '../../queries/customers.ts'
import { assertOrgVisible } from '../../queries/visibility.ts'
import type * as routes from './customers.routes.ts'

const toCustomer = (row: ValuedCustomerDbRow) => ({
  id: row.id,
  org_id: row.org_id,
  name: row.name,
  phase: row.phase,
  owner_id: row.owner_id,
  external_ids: row.external_ids,
  deal_value: row.deal_value,
  expected_close_date: row.expected_close_date,
  next_step: row.next_step,
  monthly_recurring_value: row.monthly_recurring_value,
  value: row.value,
  weighted_value: row.weighted_value,
  phase_entered_at: isoTimestamp(row.phase_entered_at),
  days_in_phase: Number(row.days_in_phase),
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
      const [created] = await createCustomers(tx, orgId, [
        {
          name: body.name,
          phase: body.phase,
          ownerId: body.owner_id,
          dealValue: body.deal_value,
          expectedCloseDate: body.expected_close_date,
          nextStep: body.next_step,
        },
      ])
      // Read back through the value view, which sees the row only after the insert.
      const customer = created && (await valuedCustomer(tx, created.id))
      if (!customer) throw new Error('the new customer was not returned')
      return createdResponse(toCustomer(customer), {
        etag: etagOf(customer.version),
        location: `${c.var.deps.config.API_BASE_PATH}/customers/${customer.id}`,
      })
    })
  })
  return sendCreated<ReturnType<typeof toCustomer>>(c, result)
}

export const getOne: RouteHandler<typeof routes.getOne, AppEnv> = async (c) => {
  const { id } = c.req.valid('param')
  const row = await asCaller(c, (tx) => customerWithCounts(tx, id))
  if (!row) throw problems.notFound('customer')
  // This representation changes when a record is added or removed, not only
  // when the customer does: its ETag carries the counts after the version, or
  // a cache would answer 304 with stale counts. Its value moves with its
  // services, the org's rates and probabilities and the days passing: they
  // are in the tag too. If-Match compares the version.
  const changing = [...Object.values(row.counts), row.value, row.weighted_value, row.days_in_phase]
  const etag = etagOf(`${row.version}-${changing.join('.')}`)
  return conditionalGet(c, etag, () => c.json({ ...toCustomer(row), counts: row.counts }, 200))
}

export const patch: RouteHandler<typeof routes.patch, AppEnv> = async (c) => {
  const { id } = c.req.valid('param')
  const body = c.req.valid('json')
  const expectedVersion = ifMatchVersion(c)
  const row = await asCaller(c, async (tx) => {
    const updated = await updateCustomerOrExplain(tx, {
      id,
      name: body.name,
      phase: body.phase,
      ownerId: body.owner_id,
      dealValue: body.deal_value,
      expectedCloseDate: body.expected_close_date,
      nextStep: body.next_step,
      expectedVersion,
    })
    // Read back through the value view, which sees the change only after the update.
    const valued = await valuedCustomer(tx, updated.id)
    if (!valued) throw new Error('the changed customer was not returned')
    return valued
  })
  c.header('ETag', etagOf(row.version))
  return c.json(toCustomer(row), 200)
}

export const remove: RouteHandler<typeof routes.remove, AppEnv> = async (c) => {
  const { id } = c.req.valid('param')
  const expectedVersion = ifMatchVersion(c)
  await asCaller(c, (tx) => deleteCustomerOrExplain(tx, id, expectedVersion))
  return c.body(null, 204)
}
