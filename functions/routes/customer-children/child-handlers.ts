import type { RouteHandler } from '@hono/zod-openapi'
import type { AppEnv } from '../../context.ts'
import { asCaller } from '../../http/as-caller.ts'
import { etagOf, ifMatchVersion, versionSql, versionString } from '../../http/etag.ts'
import { deleteById, explainNoRow, versionCheck } from '../../http/explain-no-row.ts'
import { idempotent } from '../../http/idempotency.ts'
import { keysetPage } from '../../http/keyset-page.ts'
import { keysetQuery } from '../../http/keyset-query.ts'
import { isoTimestamp } from '../../http/sql.ts'
import { problems } from '../../problems/problem.ts'
import { type ChildResource, type ChildRoutes, childSorts } from './define-child-resource.ts'

type ChildDbRow = Record<string, unknown> & { id: string; version: number | string }

const timestamps = new Set(['created_at', 'updated_at'])

/**
 * The handlers of one kind of child. Every statement runs as the caller, so
 * RLS decides what is visible and writable; org_id always comes from the
 * customer row in SQL, never from the client.
 */
export function childHandlers(resource: ChildResource) {
  const { table, noun } = resource
  const sorts = childSorts(resource)
  // Columns of the table; `version` is computed from updated_at below.
  const fields = Object.keys(resource.schemas.row.shape).filter((f) => f !== 'version')
  const readAs = resource.readAs ?? {}
  // `x` is the child table (or the CTE of the row just written).
  const selectList = [
    ...fields.map((f) => (readAs[f] ? `x.${f}::${readAs[f]} as ${f}` : `x.${f}`)),
    `${versionSql('x.updated_at')} as version`,
  ].join(', ')
  const toJson = (row: ChildDbRow) => ({
    ...Object.fromEntries(fields.map((f) => [f, timestamps.has(f) ? isoTimestamp(row[f]) : row[f]])),
    version: versionString(row.version),
  })
  const location = (c: { var: AppEnv['Variables'] }, id: string) =>
    `${c.var.deps.config.API_BASE_PATH}/${table}/${id}`

  /** `column = $n::type` for every column the body sets. */
  const assignments = (body: Record<string, unknown>, params: unknown[]) =>
    Object.entries(resource.columns)
      .filter(([column]) => body[column] !== undefined)
      .map(([column, type]) => {
        params.push(body[column])
        return { column, value: `$${params.length}::${type}` }
      })

  const list: RouteHandler<ChildRoutes['list'], AppEnv> = async (c) => {
    const { id } = c.req.valid('param')
    const { limit, cursor, sort } = c.req.valid('query')
    const key = sort.replace(/^-/, '')
    const params: unknown[] = [id]
    const page = keysetQuery(
      { name: sort, column: `x.${key}`, type: sorts[key] ?? 'text', idColumn: 'x.id' },
      cursor,
      limit,
      params,
    )
    const rows = await asCaller(c, async (tx) => {
      const visible = await tx.query('select 1 from public.customers where id = $1', [id])
      if (visible.length === 0) throw problems.notFound('customer')
      // The org is named (from the customer) so the planner uses the (customer_id, org_id) index.
      return tx.query<ChildDbRow & { sort_value: string }>(
        `select ${selectList}, ${page.sortValue} as sort_value
         from public.${table} x
         where x.customer_id = $1
           and x.org_id = (select c.org_id from public.customers c where c.id = $1)
           ${page.after ? `and ${page.after}` : ''}
         order by ${page.orderBy}
         limit ${page.limit}`,
        params,
      )
    })
    return c.json(keysetPage(rows, limit, sort, toJson), 200)
  }

  const create: RouteHandler<ChildRoutes['create'], AppEnv> = async (c) => {
    const { id } = c.req.valid('param')
    const body = c.req.valid('json')
    const params: unknown[] = [id]
    const columns = assignments(body, params)
    for (const [column, derive] of Object.entries(resource.derived ?? {})) {
      const param = (value: unknown) => {
        params.push(value)
        return `$${params.length}`
      }
      columns.push({ column, value: derive(body, param) })
    }
    const result = await asCaller(c, (tx) =>
      idempotent(c, tx, async () => {
        // No row when the customer is hidden by RLS; RLS refuses (403) when it is visible but not writable.
        const [row] = await tx.query<ChildDbRow>(
          `with x as (
             insert into public.${table} (id, org_id, customer_id${columns.map((a) => `, ${a.column}`).join('')})
             select n.id, c.org_id, c.id${columns.map((a) => `, ${a.value}`).join('')}
             from public.customers c cross join (select gen_random_uuid() as id) n
             where c.id = $1
             returning *
           )
           select ${selectList} from x`,
          params,
        )
        if (!row) throw problems.notFound('customer')
        return {
          status: 201,
          body: toJson(row),
          headers: { ETag: etagOf(row.version), Location: location(c, row.id) },
        }
      }),
    )
    for (const [name, value] of Object.entries(result.headers ?? {})) c.header(name, value)
    if (result.replayed) c.header('Idempotent-Replayed', 'true')
    return c.json(result.body as Record<string, unknown>, 201)
  }

  const getOne: RouteHandler<ChildRoutes['getOne'], AppEnv> = async (c) => {
    const { id } = c.req.valid('param')
    const [row] = await asCaller(c, (tx) =>
      tx.query<ChildDbRow>(`select ${selectList} from public.${table} x where x.id = $1`, [id]),
    )
    if (!row) throw problems.notFound(noun)
    const etag = etagOf(row.version)
    c.header('ETag', etag)
    c.header('Cache-Control', 'private, no-cache')
    if (c.req.header('If-None-Match') === etag) return c.body(null, 304) as never
    return c.json(toJson(row), 200)
  }

  const patch: RouteHandler<ChildRoutes['patch'], AppEnv> = async (c) => {
    const { id } = c.req.valid('param')
    const body = c.req.valid('json') as Record<string, unknown>
    const expectedVersion = ifMatchVersion(c)
    const params: unknown[] = [id]
    const sets = assignments(body, params).map((a) => `${a.column} = ${a.value}`)
    const check = versionCheck(params, expectedVersion)
    const row = await asCaller(c, async (tx) => {
      const [updated] = await tx.query<ChildDbRow>(
        `with x as (
           update public.${table} set ${sets.join(', ')} where id = $1 ${check} returning *
         )
         select ${selectList} from x`,
        params,
      )
      return updated ?? explainNoRow(tx, `public.${table}`, noun, id, expectedVersion)
    })
    c.header('ETag', etagOf(row.version))
    return c.json(toJson(row), 200)
  }

  const remove: RouteHandler<ChildRoutes['remove'], AppEnv> = async (c) => {
    const { id } = c.req.valid('param')
    const expectedVersion = ifMatchVersion(c)
    await asCaller(c, (tx) => deleteById(tx, `public.${table}`, noun, id, expectedVersion))
    return c.body(null, 204)
  }

  return { list, create, getOne, patch, remove }
}
