import type { RouteHandler } from '@hono/zod-openapi'
import type { AppEnv } from '../../context.ts'
import { isoTimestamp } from '../../db/timestamps.ts'
import { createdResponse, sendCreated } from '../../http/created.ts'
import { decodeCursor } from '../../http/cursor.ts'
import { idempotent } from '../../http/idempotency.ts'
import { keysetPage } from '../../http/keyset-page.ts'
import { problems } from '../../problems/problem.ts'
import { asCaller } from '../../queries/as-caller.ts'
import {
  type EventDbRow,
  addNote as insertNote,
  listCustomerEvents,
  listOrgEvents,
  newestFirst,
} from '../../queries/timeline.ts'
import type * as routes from './timeline.routes.ts'

const toEvent = (row: EventDbRow) => ({
  id: row.id,
  org_id: row.org_id,
  customer_id: row.customer_id,
  type: row.type as 'note',
  description: row.description,
  occurred_at: isoTimestamp(row.occurred_at),
  actor_id: row.actor_id,
  payload: row.payload,
})

export const listForCustomer: RouteHandler<typeof routes.listForCustomer, AppEnv> = async (c) => {
  const { id } = c.req.valid('param')
  const { cursor, ...query } = c.req.valid('query')
  const after = decodeCursor(cursor, newestFirst.name)
  const rows = await asCaller(c, (tx) => listCustomerEvents(tx, id, { ...query, after }))
  const page = keysetPage(rows, query.limit, newestFirst.name, toEvent)
  return c.json(page, 200)
}

export const listForOrg: RouteHandler<typeof routes.listForOrg, AppEnv> = async (c) => {
  const { orgId } = c.req.valid('param')
  const { cursor, ...query } = c.req.valid('query')
  const after = decodeCursor(cursor, newestFirst.name)
  const rows = await asCaller(c, (tx) => listOrgEvents(tx, orgId, { ...query, after }))
  const page = keysetPage(rows, query.limit, newestFirst.name, toEvent)
  return c.json(page, 200)
}

export const addNote: RouteHandler<typeof routes.addNote, AppEnv> = async (c) => {
  const { id } = c.req.valid('param')
  const { description } = c.req.valid('json')
  const result = await asCaller(c, (tx) =>
    idempotent(c, tx, async () => {
      const row = await insertNote(tx, id, description)
      if (!row) throw problems.notFound('customer')
      return createdResponse(toEvent(row))
    }),
  )
  return sendCreated<ReturnType<typeof toEvent>>(c, result)
}
