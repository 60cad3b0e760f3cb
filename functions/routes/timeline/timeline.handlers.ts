import type { RouteHandler } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { AppEnv } from '../../context.ts'
import type { Transaction } from '../../db/database.ts'
import { asCaller } from '../../http/as-caller.ts'
import { idempotent } from '../../http/idempotency.ts'
import { keysetPage } from '../../http/keyset-page.ts'
import { keysetQuery } from '../../http/keyset-query.ts'
import { assertOrgVisible, readAfterCheck } from '../../http/org-visible.ts'
import { pgTextArray } from '../../http/sql.ts'
import { problems } from '../../problems/problem.ts'
import type * as routes from './timeline.routes.ts'
import { type EventDbRow, eventColumns, newestFirst, toEvent } from './timeline.sql.ts'

interface Scope {
  /** The WHERE condition naming the organization (and customer) by `$1`. */
  where: string
  id: string
  /** Throws 404 when the customer or organization is hidden from the caller. */
  assertVisible: (tx: Transaction) => Promise<void>
}

async function listEvents(
  c: Context<AppEnv>,
  scope: Scope,
  query: { limit: number; cursor?: string | undefined; type?: string[] | undefined },
) {
  const params: unknown[] = [scope.id]
  const where = [scope.where]
  if (query.type) {
    params.push(pgTextArray(query.type))
    where.push(`e.type = any($${params.length}::text::public.timeline_event_type[])`)
  }
  const page = keysetQuery(newestFirst, query.cursor, query.limit, params)
  if (page.after) where.push(page.after)
  const rows = await asCaller(c, (tx) =>
    readAfterCheck(
      scope.assertVisible(tx),
      tx.query<EventDbRow & { sort_value: string }>(
        `select ${eventColumns}, ${page.sortValue} as sort_value
         from public.timeline_events e
         where ${where.join(' and ')}
         order by ${page.orderBy}
         limit ${page.limit}`,
        params,
      ),
    ),
  )
  return keysetPage(rows, query.limit, newestFirst.name, toEvent)
}

async function assertCustomerVisible(tx: Transaction, id: string) {
  const rows = await tx.query('select 1 from public.customers where id = $1', [id])
  if (rows.length === 0) throw problems.notFound('customer')
}

export const listForCustomer: RouteHandler<typeof routes.listForCustomer, AppEnv> = async (c) => {
  const { id } = c.req.valid('param')
  const page = await listEvents(
    c,
    {
      id,
      // The org is named (from the customer) so the planner uses the (customer_id, org_id, occurred_at) index.
      where: 'e.customer_id = $1 and e.org_id = (select c.org_id from public.customers c where c.id = $1)',
      assertVisible: (tx) => assertCustomerVisible(tx, id),
    },
    c.req.valid('query'),
  )
  return c.json(page, 200)
}

export const listForOrg: RouteHandler<typeof routes.listForOrg, AppEnv> = async (c) => {
  const { orgId } = c.req.valid('param')
  const page = await listEvents(
    c,
    { id: orgId, where: 'e.org_id = $1', assertVisible: (tx) => assertOrgVisible(tx, orgId) },
    c.req.valid('query'),
  )
  return c.json(page, 200)
}

export const addNote: RouteHandler<typeof routes.addNote, AppEnv> = async (c) => {
  const { id } = c.req.valid('param')
  const { description } = c.req.valid('json')
  const result = await asCaller(c, (tx) =>
    idempotent(c, tx, async () => {
      // Type and actor are fixed here and checked again by the insert policy.
      const [row] = await tx.query<EventDbRow>(
        `with e as (
           insert into public.timeline_events (org_id, customer_id, type, description, actor_id)
           select c.org_id, c.id, 'note', $2, auth.uid() from public.customers c where c.id = $1
           returning *
         )
         select ${eventColumns} from e`,
        [id, description],
      )
      if (!row) throw problems.notFound('customer')
      return { status: 201, body: toEvent(row) }
    }),
  )
  if (result.replayed) c.header('Idempotent-Replayed', 'true')
  return c.json(result.body as ReturnType<typeof toEvent>, 201)
}
