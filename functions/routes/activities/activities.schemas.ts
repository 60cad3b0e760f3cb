import { z } from '@hono/zod-openapi'
import { activityKinds, activityOutcomes } from '../../domain/vocabulary.ts'

/** The single source of an activity's shape: the API validates with it, OpenAPI is generated from it. */
const timestamp = z.iso.datetime({ offset: true })

export const ActivityKind = z.enum(activityKinds).openapi('ActivityKind')
export const ActivityOutcome = z.enum(activityOutcomes).openapi('ActivityOutcome')

export const Activity = z
  .object({
    id: z.uuid(),
    org_id: z.uuid(),
    customer_id: z.uuid(),
    kind: ActivityKind,
    outcome: ActivityOutcome,
    summary: z.string().nullable(),
    occurred_at: timestamp,
    actor_id: z.uuid().nullable().openapi({ description: 'Who logged it (the database stamps the caller)' }),
    created_at: timestamp,
  })
  .openapi('Activity')

export const ActivityCreate = z
  .strictObject({
    kind: ActivityKind,
    outcome: ActivityOutcome,
    // As the table checks it (activities_summary_length).
    summary: z.string().trim().min(1).max(2000).nullable().optional(),
    occurred_at: timestamp
      .optional()
      .openapi({ description: 'When it happened; defaults to now, never in the future (422)' }),
  })
  .openapi('ActivityCreate')

export const ActivityPage = z
  .object({ data: z.array(Activity), next_cursor: z.string().nullable() })
  .openapi('ActivityPage')
