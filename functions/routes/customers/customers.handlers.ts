import type { RouteHandler } from '@hono/zod-openapi'
import type { AppEnv } from '../../context.ts'
import { asCaller } from '../../http/as-caller.ts'
import { etagOf, ifMatchVersion, versionString } from '../../http/etag.ts'
import { deleteById, explainNoRow, versionCheck } from '../../http/explain-no-row.ts'
import { idempotent } from '../../http/idempotency.ts'
import { type KeysetRow, keysetPage } from '../../http/keyset-page.ts'
import { keysetQuery } from '../../http/keyset-query.ts'
import { assertOrgVisible, readAfterCheck } from '../../http/org-visible.ts'
import { isoTimestamp, likePattern, pgTextArray } from '../../http/sql.ts'
import { problems } from '../../problems/problem.ts'
import type * as routes from './customers.routes.ts'
import {
  type CustomerDbRow,
  customerColumns,
  customerCounts,
  customerCountsJoin,
  sortColumns,
} from './customers.sql.ts'

const toCustomer = (row: CustomerDbRow) => ({
  id: row.id,
  org_id: row.org_id,
  name: row.name,
  phase: row.phase as 'lead',
  owner_id: row.owner_id,
  external_ids: row.external_ids,
  created_at: isoTimestamp(row.created_at),
  updated_at: isoTimestamp(row.updated_at),
  version: versionString(row.version),
})

export const list: RouteHandler<typeof routes.list, AppEnv> = async (c) => {
  const { orgId } = c.req.valid('param')
  const query = c.req.valid('query')
  const sortColumn = sortColumns[query.sort.replace('-', '') as keyof typeof sortColumns]

  // The org is named explicitly (not left to RLS) so the planner uses the (org_id, …) indexes.
  const params: unknown[] = [orgId]
  const where = ['c.org_id = $1']
  const add = (sql: (n: string) => string, value: unknown) => {
    params.push(value)
    where.push(sql(`$${params.length}`))
  }
  // Phases by their stored position: under RLS `phase = …` (enum equality, not leakproof) cannot
  // be an index condition, an integer comparison can (20261125160300_customer_phase_position.sql).
  // One phase as plain equality: Postgres 15 walks the (org_id, phase_position, updated_at) index
  // in order for it, not for `= any(array)`.
  if (query.phase?.length === 1)
    add(
      (p) => `c.phase_position = (select private.customer_phase_position(${p}::public.customer_phase))`,
      query.phase[0],
    )
  else if (query.phase)
    add(
      (p) =>
        `c.phase_position = any(array(select private.customer_phase_position(x)
                                      from unnest(${p}::text::public.customer_phase[]) x))`,
      pgTextArray(query.phase),
    )
  if (query.owner_id) add((p) => `c.owner_id = ${p}::uuid`, query.owner_id)
  // The ids come from the trigram index through a membership-checked helper: under RLS
  // `ilike` itself cannot use an index (supabase/migrations/20261125160100_customer_search.sql).
  if (query.q) add((p) => `c.id in (select private.customer_ids_matching($1, ${p}))`, likePattern(query.q))
  if (query.updated_since) add((p) => `c.updated_at >= ${p}::timestamptz`, query.updated_since)
  const page = keysetQuery(
    { name: query.sort, ...sortColumn, idColumn: 'c.id' },
    query.cursor,
    query.limit,
    params,
  )
  if (page.after) where.push(page.after)

  const rows = await asCaller(c, (tx) =>
    readAfterCheck(
      assertOrgVisible(tx, orgId),
      tx.query<CustomerDbRow & KeysetRow>(
        `select ${customerColumns}, ${page.sortValue} as sort_value
         from public.customers c
         where ${where.join(' and ')}
         order by ${page.orderBy}
         limit ${page.limit}`,
        params,
      ),
    ),
  )
  return c.json(keysetPage(rows, query.limit, query.sort, toCustomer), 200)
}

export const create: RouteHandler<typeof routes.create, AppEnv> = async (c) => {
  const { orgId } = c.req.valid('param')
  const body = c.req.valid('json')
  const result = await asCaller(c, async (tx) => {
    await assertOrgVisible(tx, orgId)
    return idempotent(c, tx, async () => {
      const [row] = await tx.query<CustomerDbRow>(
        `with c as (
           insert into public.customers (org_id, name, phase, owner_id)
           values ($1, $2, coalesce($3::public.customer_phase, 'lead'),
                   case when $4::boolean then $5::uuid else auth.uid() end)
           returning *
         )
         select ${customerColumns} from c`,
        [orgId, body.name, body.phase ?? null, body.owner_id !== undefined, body.owner_id ?? null],
      )
      const customer = row as CustomerDbRow
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
  const [row] = await asCaller(c, (tx) =>
    tx.query<CustomerDbRow & Record<string, number>>(
      `select ${customerColumns}, ${customerCounts} from public.customers c ${customerCountsJoin} where c.id = $1`,
      [id],
    ),
  )
  if (!row) throw problems.notFound('customer')
  const counts = {
    contacts: Number(row.contacts),
    teams: Number(row.teams),
    processes: Number(row.processes),
    services: Number(row.services),
    documents: Number(row.documents),
    timeline_events: Number(row.timeline_events),
  }
  // This representation changes when a record is added or removed, not only
  // when the customer does: its ETag carries the counts after the version, or
  // a cache would answer 304 with stale counts. If-Match compares the version.
  const etag = etagOf(`${row.version}-${Object.values(counts).join('.')}`)
  c.header('ETag', etag)
  c.header('Cache-Control', 'private, no-cache')
  if (c.req.header('If-None-Match') === etag) return c.body(null, 304) as never
  return c.json(
    {
      ...toCustomer(row),
      counts,
    },
    200,
  )
}

const patchableColumns = { name: 'text', phase: 'public.customer_phase', owner_id: 'uuid' } as const

export const patch: RouteHandler<typeof routes.patch, AppEnv> = async (c) => {
  const { id } = c.req.valid('param')
  const body = c.req.valid('json')
  const expectedVersion = ifMatchVersion(c)
  const params: unknown[] = [id]
  const sets: string[] = []
  for (const [column, type] of Object.entries(patchableColumns)) {
    const value = body[column as keyof typeof body]
    if (value === undefined) continue
    params.push(value)
    sets.push(`${column} = $${params.length}::${type}`)
  }
  const check = versionCheck(params, expectedVersion)
  const row = await asCaller(c, async (tx) => {
    const [updated] = await tx.query<CustomerDbRow>(
      `with c as (
         update public.customers set ${sets.join(', ')} where id = $1 ${check} returning *
       )
       select ${customerColumns} from c`,
      params,
    )
    return updated ?? explainNoRow(tx, 'public.customers', 'customer', id, expectedVersion)
  })
  c.header('ETag', etagOf(row.version))
  return c.json(toCustomer(row), 200)
}

export const remove: RouteHandler<typeof routes.remove, AppEnv> = async (c) => {
  const { id } = c.req.valid('param')
  const expectedVersion = ifMatchVersion(c)
  await asCaller(c, (tx) => deleteById(tx, 'public.customers', 'customer', id, expectedVersion))
  return c.body(null, 204)
}
