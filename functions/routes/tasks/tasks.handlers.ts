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
  createTask,
  deleteTaskOrExplain,
  listTasks,
  type TaskDbRow,
  type TaskListDbRow,
  taskById,
  updateTaskOrExplain,
} from '../../queries/tasks.ts'
import type * as routes from './tasks.routes.ts'

const isoOrNull = (value: unknown) => (value === null ? null : isoTimestamp(value))

const toTask = (row: TaskDbRow) => ({
  id: row.id,
  org_id: row.org_id,
  customer_id: row.customer_id,
  assignee_id: row.assignee_id,
  title: row.title,
  due_at: isoOrNull(row.due_at),
  done_at: isoOrNull(row.done_at),
  created_by: row.created_by,
  created_at: isoTimestamp(row.created_at),
  updated_at: isoTimestamp(row.updated_at),
  version: versionString(row.version),
})

const toListItem = (row: TaskListDbRow) => ({ ...toTask(row), customer_name: row.customer_name })

export const list: RouteHandler<typeof routes.list, AppEnv> = async (c) => {
  const { orgId } = c.req.valid('param')
  const { cursor, ...query } = c.req.valid('query')
  const after = decodeCursor(cursor, query.sort)
  const rows = await asCaller(c, (tx) => listTasks(tx, orgId, { ...query, after }))
  return c.json(keysetPage(rows, query.limit, query.sort, toListItem), 200)
}

export const create: RouteHandler<typeof routes.create, AppEnv> = async (c) => {
  const { id } = c.req.valid('param')
  const body = c.req.valid('json')
  const result = await asCaller(c, (tx) =>
    idempotent(c, tx, async () => {
      const task = await createTask(tx, {
        customerId: id,
        title: body.title,
        dueAt: body.due_at ?? null,
        assigneeId: body.assignee_id,
        done: body.done ?? false,
      })
      if (!task) throw problems.notFound('customer')
      return createdResponse(toTask(task), {
        etag: etagOf(task.version),
        location: `${c.var.deps.config.API_BASE_PATH}/tasks/${task.id}`,
      })
    }),
  )
  return sendCreated<ReturnType<typeof toTask>>(c, result)
}

export const getOne: RouteHandler<typeof routes.getOne, AppEnv> = async (c) => {
  const { id } = c.req.valid('param')
  const row = await asCaller(c, (tx) => taskById(tx, id))
  if (!row) throw problems.notFound('task')
  return conditionalGet(c, etagOf(row.version), () => c.json(toTask(row), 200))
}

export const patch: RouteHandler<typeof routes.patch, AppEnv> = async (c) => {
  const { id } = c.req.valid('param')
  const body = c.req.valid('json')
  const expectedVersion = ifMatchVersion(c)
  const row = await asCaller(c, (tx) =>
    updateTaskOrExplain(tx, {
      id,
      title: body.title,
      dueAt: body.due_at,
      assigneeId: body.assignee_id,
      done: body.done,
      expectedVersion,
    }),
  )
  c.header('ETag', etagOf(row.version))
  return c.json(toTask(row), 200)
}

export const remove: RouteHandler<typeof routes.remove, AppEnv> = async (c) => {
  const { id } = c.req.valid('param')
  const expectedVersion = ifMatchVersion(c)
  await asCaller(c, (tx) => deleteTaskOrExplain(tx, id, expectedVersion))
  return c.body(null, 204)
}
