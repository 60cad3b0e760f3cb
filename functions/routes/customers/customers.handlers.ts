import type { RouteHandler } from '@hono/zod-openapi'
import type { AppEnv } from '../../context.ts'
import type { Transaction } from '../../db/database.ts'
import { asCaller } from '../../http/as-caller.ts'
import { decodeCursor, encodeCursor } from '../../http/cursor.ts'
import { etagOf, ifMatchVersion, versionSql } from '../../http/etag.ts'
import { idempotent } from '../../http/idempotency.ts'
import { isoTimestamp, likePattern, pgTextArray } from '../../http/sql.ts'
import { problems } from '../../problems/problem.ts'
import type * as routes from './customers.routes.ts'
import { type CustomerDbRow, customerColumns, customerCounts, sortColumns } from './customers.sql.ts'

const toCustomer = (row: CustomerDbRow) => ({
  id: row.id,
  org_id: row.org_id,
  name: row.name,
  phase: row.phase as 'lead',
  owner_id: row.owner_id,
  external_ids: row.external_ids,
  created_at: isoTimestamp(row.created_at),
  updated_at: isoTimestamp(row.updated_at),
})

/** An organization the caller cannot see is a 404, like any other hidden row. */
async function assertOrgVisible(tx: Transaction, orgId: string) {
  const rows = await tx.query('select 1 from public.organizations where id = $1', [orgId])
  if (rows.length === 0) throw problems.notFound('organization')
}

export const list: RouteHandler<typeof routes.list, AppEnv> = async (c) => {
  const { orgId } = c.req.valid('param')
  const query = c.req.valid('query')
  const descending = query.sort.startsWith('-')
  const sortKey = query.sort.replace('-', '') as keyof typeof sortColumns
  const sort = sortColumns[sortKey]
  const cursor = query.cursor ? decodeCursor(query.cursor, query.sort) : undefined

  // The org is named explicitly (not left to RLS) so the planner uses the (org_id, …) indexes.
  const params: unknown[] = [orgId]
  const where = ['c.org_id = $1']
  const add = (sql: (n: string) => string, value: unknown) => {
    params.push(value)
    where.push(sql(`$${params.length}`))
  }
  if (query.phase) add((p) => `c.phase = any(${p}::text::public.customer_phase[])`, pgTextArray(query.phase))
  if (query.owner_id) add((p) => `c.owner_id = ${p}::uuid`, query.owner_id)
  if (query.q) add((p) => `c.name ilike ${p}`, likePattern(query.q))
  if (query.updated_since) add((p) => `c.updated_at >= ${p}::timestamptz`, query.updated_since)
  if (cursor) {
    params.push(cursor.value, cursor.id)
    const op = descending ? '<' : '>'
    where.push(`(${sort.column}, c.id) ${op} ($${params.length - 1}::${sort.type}, $${params.length}::uuid)`)
  }
  const direction = descending ? 'desc' : 'asc'
  params.push(query.limit + 1)

  const rows = await asCaller(c, async (tx) => {
    await assertOrgVisible(tx, orgId)
    return tx.query<CustomerDbRow & { sort_value: string }>(
      `select ${customerColumns}, ${sort.column}::text as sort_value
       from public.customers c
       where ${where.join(' and ')}
       order by ${sort.column} ${direction}, c.id ${direction}
       limit $${params.length}`,
      params,
    )
  })
  const page = rows.slice(0, query.limit)
  const last = page.at(-1)
  const more = rows.length > query.limit && last !== undefined
  return c.json(
    {
      data: page.map(toCustomer),
      next_cursor: more ? encodeCursor({ sort: query.sort, value: last.sort_value, id: last.id }) : null,
    },
    200,
  )
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
      `select ${customerColumns}, ${customerCounts} from public.customers c where c.id = $1`,
      [id],
    ),
  )
  if (!row) throw problems.notFound('customer')
  const etag = etagOf(row.version)
  c.header('ETag', etag)
  c.header('Cache-Control', 'private, no-cache')
  if (c.req.header('If-None-Match') === etag) return c.body(null, 304) as never
  const { contacts, teams, processes, services, documents, timeline_events } = row
  return c.json(
    {
      ...toCustomer(row),
      counts: {
        contacts: Number(contacts),
        teams: Number(teams),
        processes: Number(processes),
        services: Number(services),
        documents: Number(documents),
        timeline_events: Number(timeline_events),
      },
    },
    200,
  )
}

/**
 * After an update or delete touched no row, says why: hidden (404), changed
 * since the client read it (412), or visible but not the caller's to write (403).
 */
async function explainNoRow(
  tx: Transaction,
  id: string,
  expectedVersion: string | undefined,
): Promise<never> {
  const [row] = await tx.query<{ version: number | string }>(
    `select ${versionSql()} as version from public.customers where id = $1`,
    [id],
  )
  if (!row) throw problems.notFound('customer')
  if (expectedVersion !== undefined && String(row.version) !== expectedVersion)
    throw problems.preconditionFailed()
  throw problems.forbidden()
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
  let versionCheck = ''
  if (expectedVersion !== undefined) {
    params.push(expectedVersion)
    versionCheck = `and ${versionSql()} = $${params.length}::bigint`
  }
  const row = await asCaller(c, async (tx) => {
    const [updated] = await tx.query<CustomerDbRow>(
      `with c as (
         update public.customers set ${sets.join(', ')} where id = $1 ${versionCheck} returning *
       )
       select ${customerColumns} from c`,
      params,
    )
    return updated ?? explainNoRow(tx, id, expectedVersion)
  })
  c.header('ETag', etagOf(row.version))
  return c.json(toCustomer(row), 200)
}

export const remove: RouteHandler<typeof routes.remove, AppEnv> = async (c) => {
  const { id } = c.req.valid('param')
  const expectedVersion = ifMatchVersion(c)
  await asCaller(c, async (tx) => {
    const params: unknown[] = [id]
    let versionCheck = ''
    if (expectedVersion !== undefined) {
      params.push(expectedVersion)
      versionCheck = `and ${versionSql()} = $2::bigint`
    }
    const deleted = await tx.query(
      `delete from public.customers where id = $1 ${versionCheck} returning id`,
      params,
    )
    if (deleted.length === 0) await explainNoRow(tx, id, expectedVersion)
  })
  return c.body(null, 204)
}
