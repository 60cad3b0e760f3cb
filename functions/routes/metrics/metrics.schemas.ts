import { z } from '@hono/zod-openapi'
import { CustomerPhase } from '../customers/customers.schemas.ts'
import { ProcessStatus } from '../processes/processes.schemas.ts'
import { TimelineEventType } from '../timeline/timeline.schemas.ts'

/** The single source of the overview's shape: the API answers with it, OpenAPI is generated from it. */
const count = z.number().int().min(0)

export const MetricsOverview = z
  .object({
    org_id: z.uuid(),
    as_of: z.iso.datetime({ offset: true }).openapi({ description: 'The time the windows end at' }),
    customers_by_phase: z
      .array(z.object({ phase: CustomerPhase, count }))
      .openapi({ description: 'Every phase, in pipeline order, zeros included' }),
    new_customers: z.object({
      last_30_days: count.openapi({ description: 'Created in [as_of − 30 days, as_of)' }),
      previous_30_days: count.openapi({ description: 'Created in [as_of − 60 days, as_of − 30 days)' }),
      change_percent: z
        .number()
        .nullable()
        .openapi({ description: 'Change against the previous window, one decimal; null when it had none' }),
    }),
    monthly_service_hours: z.number().min(0).openapi({ description: 'Sum over every service' }),
    service_hours_by_service: z.array(z.object({ service: z.string(), hours: z.number().min(0) })).openapi({
      description:
        'Monthly hours per service name, largest first: the eight largest, then the rest summed as "Other"',
    }),
    processes_by_status: z
      .array(z.object({ status: ProcessStatus, count }))
      .openapi({ description: 'Every status, zeros included' }),
    recent_events: z
      .array(
        z.object({
          id: z.uuid(),
          type: TimelineEventType,
          description: z.string(),
          occurred_at: z.iso.datetime({ offset: true }),
          customer_id: z.uuid().nullable(),
          actor_id: z.uuid().nullable(),
        }),
      )
      .openapi({ description: 'The 10 latest timeline events, newest first' }),
  })
  .openapi('MetricsOverview')
