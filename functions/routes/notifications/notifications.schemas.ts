import { z } from '@hono/zod-openapi'
import { notificationKinds } from '../../domain/vocabulary.ts'
import { PageQuery } from '../../http/params.ts'

/** The single source of a notification's shape: the API validates with it, OpenAPI is generated from it. */
const timestamp = z.iso.datetime({ offset: true })

export const Notification = z
  .object({
    id: z.uuid(),
    org_id: z.uuid(),
    kind: z.enum(notificationKinds),
    task_id: z.uuid().nullable().openapi({ description: 'The task it is about (task_overdue)' }),
    title: z.string(),
    created_at: timestamp,
    read_at: timestamp.nullable().openapi({ description: 'When you first read it; null while unread' }),
    customer_id: z.uuid().nullable().openapi({ description: 'The customer its task is about' }),
    customer_name: z.string().nullable().openapi({ description: 'That customer’s name, to show' }),
  })
  .openapi('Notification')

export const NotificationPatch = z
  .strictObject({ read: z.boolean().openapi({ description: 'True marks it read, false unread again' }) })
  .openapi('NotificationPatch')

export const NotificationListQuery = PageQuery.extend({
  unread: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .openapi({ type: 'string', description: 'Only the unread ones' }),
})

export const NotificationPage = z
  .object({
    data: z.array(Notification),
    next_cursor: z.string().nullable(),
    unread_count: z.number().int().openapi({ description: 'All your unread ones in the organization' }),
  })
  .openapi('NotificationPage')

export const MarkedRead = z
  .object({ marked: z.number().int().openapi({ description: 'How many were unread' }) })
  .openapi('MarkedRead')
