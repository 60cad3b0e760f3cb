import type { Queryable } from '../db/database.ts'
import { type Sql, sql } from '../db/sql.ts'
import { type KeysetAfter, type KeysetRow, keysetClauses } from './keyset.ts'
import { deleteById, explainNoRow, versionCheck, versionOf } from './row-versions.ts'
import { assertCustomerVisible, readAfterCheck } from './visibility.ts'

/**
 * A customer's records (contacts, teams, processes, services, documents): one
 * table each, one rule set for all (readable by the organization, writable by
 * whoever may write the customer, org_id always the customer's), so one set of
 * statements, made per table. Every statement runs as the caller: RLS decides
 * what is visible and writable.
 */

/** What the statements of one kind of record need to know about its table: our own declarations only. */
export interface ChildTable {
  /** The table in `public`. */
  table: string
  /** One row in words, for 404s: `contact`. */
  noun: string
  /** The columns read (a `version` is added, computed from updated_at). */
  fields: readonly string[]
  /** Casts when reading, where the driver would return a string: `{ monthly_hours: 'float8' }`. */
  readAs?: Record<string, string> | undefined
  /** The columns a client sets, with the SQL type each value is cast to. */
  columns: Record<string, string>
  /** The sort keys, each with its SQL type for the cursor cast. */
  sorts: Record<string, string>
  /** Columns the server derives on insert, as SQL over `c` (the customer row) and `n.id` (the new row's id). */
  derived?: Record<string, (body: Record<string, unknown>) => Sql> | undefined
}

export type ChildDbRow = Record<string, unknown> & { id: string; version: number | string }

/** The statements of one kind of customer record. */
export function childQueries(child: ChildTable) {
  const { noun } = child
  const table = sql.identifier(`public.${child.table}`)
  const readAs = child.readAs ?? {}
  // `x` is the child table (or the CTE of the row just written).
  const selectList = sql.join(
    [
      ...child.fields.map((f) => {
        const cast = readAs[f]
        const column = sql.identifier(`x.${f}`)
        return cast ? sql`${column}::${sql.identifier(cast)} as ${sql.identifier(f)}` : column
      }),
      sql`${versionOf(sql`x.updated_at`)} as version`,
    ],
    ', ',
  )

  /** `column` and `value::type` for every column the body sets. */
  const assignments = (body: Record<string, unknown>) =>
    Object.entries(child.columns)
      .filter(([column]) => body[column] !== undefined)
      .map(([column, type]) => ({
        column: sql.identifier(column),
        value: sql`${body[column]}::${sql.identifier(type)}`,
      }))

  return {
    /** One keyset page (and one row more) of a customer's records; 404 when the customer is hidden. */
    list(
      tx: Queryable,
      customerId: string,
      { sort, limit, after }: { sort: string; limit: number; after?: KeysetAfter | undefined },
    ): Promise<(ChildDbRow & KeysetRow)[]> {
      const key = sort.replace(/^-/, '')
      const page = keysetClauses(
        {
          name: sort,
          column: sql.identifier(`x.${key}`),
          type: sql.identifier(child.sorts[key] ?? 'text'),
          idColumn: sql`x.id`,
        },
        after,
        limit,
      )
      return readAfterCheck(
        assertCustomerVisible(tx, customerId),
        // The org is named (from the customer) so the planner uses the (customer_id, org_id) index.
        tx.query<ChildDbRow & KeysetRow>(
          sql`select ${selectList}, ${page.sortValue} as sort_value
              from ${table} x
              where x.customer_id = ${customerId}
                and x.org_id = (select c.org_id from public.customers c where c.id = ${customerId})
                and ${page.after}
              order by ${page.orderBy}
              limit ${page.limit}`,
        ),
      )
    },

    /**
     * Adds a record to a customer; undefined when the customer is hidden by
     * RLS. RLS refuses (403) when it is visible but not writable.
     */
    async create(
      tx: Queryable,
      customerId: string,
      body: Record<string, unknown>,
    ): Promise<ChildDbRow | undefined> {
      const columns = assignments(body)
      for (const [column, derive] of Object.entries(child.derived ?? {}))
        columns.push({ column: sql.identifier(column), value: derive(body) })
      const names = [sql`id`, sql`org_id`, sql`customer_id`, ...columns.map((a) => a.column)]
      const values = [sql`n.id`, sql`c.org_id`, sql`c.id`, ...columns.map((a) => a.value)]
      const [row] = await tx.query<ChildDbRow>(
        sql`with x as (
              insert into ${table} (${sql.join(names, ', ')})
              select ${sql.join(values, ', ')}
              from public.customers c cross join (select gen_random_uuid() as id) n
              where c.id = ${customerId}
              returning *
            )
            select ${selectList} from x`,
      )
      return row
    },

    /** One record; undefined when hidden. */
    async getOne(tx: Queryable, id: string): Promise<ChildDbRow | undefined> {
      const [row] = await tx.query<ChildDbRow>(sql`select ${selectList} from ${table} x where x.id = ${id}`)
      return row
    },

    /** Changes a record (at `expectedVersion` when given); one it could not change is explained (404, 412, 403). */
    async update(
      tx: Queryable,
      id: string,
      body: Record<string, unknown>,
      expectedVersion: string | undefined,
    ): Promise<ChildDbRow> {
      const sets = assignments(body).map((a) => sql`${a.column} = ${a.value}`)
      const [updated] = await tx.query<ChildDbRow>(
        sql`with x as (
              update ${table} set ${sql.join(sets, ', ')} where id = ${id} ${versionCheck(expectedVersion)} returning *
            )
            select ${selectList} from x`,
      )
      return updated ?? explainNoRow(tx, table, noun, id, expectedVersion)
    },

    /** Deletes a record; one it could not delete is explained (404, 412, 403). */
    remove(tx: Queryable, id: string, expectedVersion: string | undefined): Promise<void> {
      return deleteById(tx, table, noun, id, expectedVersion)
    },
  }
}
