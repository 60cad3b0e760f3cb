import { z } from '@hono/zod-openapi'
import { defaultTaskSort, taskSorts, taskStatuses } from '../../domain/vocabulary.ts'
import { versionField } from '../../http/openapi-common.ts'
import { PageQuery } from '../../http/params.ts'
import { patchOf } from '../../http/patch-body.ts'

/** The single source of a task's shape: the API validates with it, OpenAPI is generated from it. */
const uuid = z.uuid()
const timestamp = z.iso.datetime({ offset: true })
// As the table checks it (tasks_title_not_blank), so a bad title is a 400 naming the field, not a 422.
const title = z.string().trim().min(1).max(200)

export const Task = z
  .object({
    id: uuid,
    org_id: uuid,
    customer_id: uuid,
    assignee_id: uuid.nullable().openapi({ description: 'Null: nobody’s yet (or the assignee left)' }),
    title: z.string(),
    due_at: timestamp.nullable(),
    done_at: timestamp
      .nullable()
      .openapi({ description: 'When it was completed, by the database’s clock; null while open' }),
    created_by: uuid.nullable(),
    created_at: timestamp,
    updated_at: timestamp,
    version: versionField,
  })
  .openapi('Task')

/** A row of a list: the task and its customer's name as it is now (so "my tasks" needs one request). */
export const TaskListItem = Task.extend({ customer_name: z.string() }).openapi('TaskListItem')

const done = z
  .boolean()
  .openapi({ description: 'True completes the task (now, by the database’s clock); false reopens it' })

/** What a client may set (strict: ids, the organization, done_at and stamps are the server's). */
export const TaskCreate = z
  .strictObject({
    title,
    due_at: timestamp.nullable().optional(),
    assignee_id: uuid.nullable().optional().openapi({
      description: 'Defaults to the caller. Only managers and up may assign someone else, or nobody.',
    }),
    done: done.optional(),
  })
  .openapi('TaskCreate')

export const TaskPatch = patchOf(
  z.strictObject({ title, due_at: timestamp.nullable(), assignee_id: uuid.nullable(), done }),
).openapi('TaskPatch')

export const TaskListQuery = PageQuery.extend({
  sort: z
    .enum(taskSorts)
    .default(defaultTaskSort)
    .openapi({ description: 'A column, `-` first for descending; by due time, undated tasks come last' }),
  status: z.enum(taskStatuses).default('open'),
  assignee_id: z
    .union([uuid, z.literal('me')])
    .optional()
    .openapi({ type: 'string', description: 'A member’s id, or `me`', example: 'me' }),
  customer_id: uuid.optional(),
  due_before: timestamp
    .optional()
    .openapi({ description: 'Due strictly before this time (with status=open: what is overdue)' }),
})

export const TaskPage = z
  .object({ data: z.array(TaskListItem), next_cursor: z.string().nullable() })
  .openapi('TaskPage')
