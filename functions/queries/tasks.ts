import type { Queryable } from '../db/database.ts'
import { type Sql, sql } from '../db/sql.ts'
import type { TaskSort, TaskSortColumn, TaskStatus } from '../domain/vocabulary.ts'
import { type KeysetAfter, type KeysetRow, keysetClauses } from './keyset.ts'
import { deleteById, explainNoRow, versionCheck, versionOf } from './row-versions.ts'
import { assertOrgVisible, readAfterCheck } from './visibility.ts'

/**
 * Tasks (issue 19): what the API reads and writes. Every statement runs as the
 * caller, so the policies of 20261205100400_tasks.sql decide: members read,
 * the assignee and managers write, a rep may hand a task to nobody but
 * themselves. done_at is the database's clock (a trigger stamps it); the API
 * only says whether a task is done.
 */

const tasks = sql.identifier('public.tasks')

/** The columns every task response is read with. `t` is public.tasks. */
const taskColumns = sql`
  t.id, t.org_id, t.customer_id, t.assignee_id, t.title, t.due_at, t.done_at, t.created_by,
  t.created_at, t.updated_at, ${versionOf(sql`t.updated_at`)} as version`

export type TaskDbRow = {
  id: string
  org_id: string
  customer_id: string
  assignee_id: string | null
  title: string
  due_at: Date | string | null
  done_at: Date | string | null
  created_by: string | null
  created_at: Date | string
  updated_at: Date | string
  version: number | string
}

/** A list row also names its customer, so a list of "my tasks" needs no request per customer. */
export type TaskListDbRow = TaskDbRow & KeysetRow & { customer_name: string }

/**
 * The sort keys: column and SQL type for the cursor cast. An undated task is
 * due at 'infinity', after every dated one, so the keyset order is total.
 */
const sortColumns: Record<TaskSortColumn, { column: Sql; type: Sql }> = {
  due_at: { column: sql`coalesce(t.due_at, 'infinity'::timestamptz)`, type: sql`timestamptz` },
  created_at: { column: sql`t.created_at`, type: sql`timestamptz` },
  updated_at: { column: sql`t.updated_at`, type: sql`timestamptz` },
}

/** What a list of tasks may be narrowed and ordered by (the API's allow-list, already validated). */
export interface TaskFilters {
  sort: TaskSort
  limit: number
  after?: KeysetAfter | undefined
  status: TaskStatus
  /** A member's id, or `me`: the caller. */
  assignee_id?: string | undefined
  customer_id?: string | undefined
  /** Due strictly before this time: `due_before=<now>` with `status=open` is what is overdue. */
  due_before?: string | undefined
}

/** One keyset page (and one row more) of an organization's tasks; 404 when the organization is hidden. */
export function listTasks(tx: Queryable, orgId: string, filters: TaskFilters): Promise<TaskListDbRow[]> {
  const { column, type } = sortColumns[filters.sort.replace('-', '') as TaskSortColumn]
  const page = keysetClauses(
    { name: filters.sort, column, type, idColumn: sql`t.id` },
    filters.after,
    filters.limit,
  )
  // The org is named explicitly (not left to RLS) so the planner uses the (org_id, assignee_id, due_at) index.
  const conditions = [sql`t.org_id = ${orgId}`]
  if (filters.status === 'open') conditions.push(sql`t.done_at is null`)
  if (filters.status === 'done') conditions.push(sql`t.done_at is not null`)
  if (filters.assignee_id === 'me') conditions.push(sql`t.assignee_id = (select auth.uid())`)
  else if (filters.assignee_id) conditions.push(sql`t.assignee_id = ${filters.assignee_id}::uuid`)
  if (filters.customer_id) conditions.push(sql`t.customer_id = ${filters.customer_id}::uuid`)
  if (filters.due_before) conditions.push(sql`t.due_at < ${filters.due_before}::timestamptz`)
  conditions.push(page.after)
  return readAfterCheck(
    assertOrgVisible(tx, orgId),
    tx.query<TaskListDbRow>(
      sql`select ${taskColumns}, c.name as customer_name, ${page.sortValue} as sort_value
          from public.tasks t
          join public.customers c on c.id = t.customer_id and c.org_id = t.org_id
          where ${sql.join(conditions, ' and ')}
          order by ${page.orderBy}
          limit ${page.limit}`,
    ),
  )
}

/** One task; undefined when the caller cannot see it. */
export async function taskById(tx: Queryable, id: string): Promise<TaskDbRow | undefined> {
  const [row] = await tx.query<TaskDbRow>(sql`select ${taskColumns} from public.tasks t where t.id = ${id}`)
  return row
}

export interface NewTask {
  customerId: string
  title: string
  dueAt: string | null
  /** Undefined: the caller (a rep may create tasks for nobody else); null: unassigned (managers). */
  assigneeId: string | null | undefined
  done: boolean
}

/**
 * Creates a task under a customer, in the customer's organization (never the
 * client's). No row when the customer is hidden (a 404 for the caller); the
 * policy refuses (42501, a 403) when the caller may not write it.
 */
export async function createTask(tx: Queryable, task: NewTask): Promise<TaskDbRow | undefined> {
  const assignee = task.assigneeId === undefined ? sql`(select auth.uid())` : sql`${task.assigneeId}::uuid`
  // done_at's value is the database's: the trigger stamps now() for a signed-in user.
  const doneAt = task.done ? sql`now()` : sql`null`
  const [row] = await tx.query<TaskDbRow>(
    sql`with t as (
          insert into public.tasks (org_id, customer_id, assignee_id, title, due_at, done_at)
          select c.org_id, c.id, ${assignee}, ${task.title}, ${task.dueAt}::timestamptz, ${doneAt}
          from public.customers c
          where c.id = ${task.customerId}
          returning *
        )
        select ${taskColumns} from t`,
  )
  return row
}

export interface TaskChange {
  id: string
  title?: string | undefined
  dueAt?: string | null | undefined
  assigneeId?: string | null | undefined
  /** True completes the task (at the database's clock, kept if already done); false reopens it. */
  done?: boolean | undefined
  expectedVersion: string | undefined
}

/** Changes a task, or explains why no row changed: hidden (404), changed since read (412), not the caller's (403). */
export async function updateTaskOrExplain(tx: Queryable, change: TaskChange): Promise<TaskDbRow> {
  const sets: Sql[] = []
  if (change.title !== undefined) sets.push(sql`title = ${change.title}`)
  if (change.dueAt !== undefined) sets.push(sql`due_at = ${change.dueAt}::timestamptz`)
  if (change.assigneeId !== undefined) sets.push(sql`assignee_id = ${change.assigneeId}::uuid`)
  if (change.done !== undefined)
    sets.push(change.done ? sql`done_at = coalesce(done_at, now())` : sql`done_at = null`)
  if (sets.length === 0) throw new Error('a task change needs at least one field')
  const [row] = await tx.query<TaskDbRow>(
    sql`with t as (
          update public.tasks set ${sql.join(sets, ', ')}
          where id = ${change.id} ${versionCheck(change.expectedVersion)}
          returning *
        )
        select ${taskColumns} from t`,
  )
  return row ?? explainNoRow(tx, tasks, 'task', change.id, change.expectedVersion)
}

/** Deletes a task (If-Match honoured), or explains why not (404, 412, 403). */
export function deleteTaskOrExplain(
  tx: Queryable,
  id: string,
  expectedVersion: string | undefined,
): Promise<void> {
  return deleteById(tx, tasks, 'task', id, expectedVersion)
}
