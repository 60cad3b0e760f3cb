import { z } from '@hono/zod-openapi'
import { timelineEventTypes } from '../../domain/vocabulary.ts'
import { PageQuery } from '../../http/params.ts'

export const TimelineEventType = z.enum(timelineEventTypes).openapi('TimelineEventType')

const uuid = z.uuid()

/** One event of a customer's audit trail. Events are never edited or deleted. */
export const TimelineEvent = z
  .object({
    id: uuid,
    org_id: uuid,
    customer_id: uuid.nullable().openapi({ description: 'Null once the customer is deleted' }),
    type: TimelineEventType,
    description: z.string(),
    occurred_at: z.iso.datetime({ offset: true }),
    actor_id: uuid.nullable().openapi({ description: 'Who did it; null for changes without a user' }),
    payload: z
      .record(z.string(), z.unknown())
      .openapi({ description: 'Details by type', example: { old_phase: 'lead', new_phase: 'qualified' } }),
  })
  .openapi('TimelineEvent')

/**
 * A note, in the caller's name, at the time it is added: clients cannot
 * backdate the audit trail, so no occurred_at, type or actor.
 */
export const NoteCreate = z
  .strictObject({ description: z.string().trim().min(1).max(2000) })
  .openapi('NoteCreate')

export const TimelineQuery = PageQuery.extend({
  type: z
    .string()
    .optional()
    .transform((s) => (s ? s.split(',') : undefined))
    .pipe(z.array(TimelineEventType).max(timelineEventTypes.length).optional())
    .openapi({
      type: 'string',
      description: 'One type or several, comma-separated',
      example: 'note,phase_changed',
    }),
})

export const TimelinePage = z
  .object({ data: z.array(TimelineEvent), next_cursor: z.string().nullable() })
  .openapi('TimelinePage')
