import { z } from '@hono/zod-openapi'
import { Money } from '../../http/money.ts'
import { CustomerPhase } from '../customers/customers.schemas.ts'
import { ProcessStatus } from '../processes/processes.schemas.ts'
import { TimelineEventType } from '../timeline/timeline.schemas.ts'

/** The longest range one request may ask for, both ends included. */
export const maxRangeDays = 366

const count = z.number().int().min(0)
const isoDate = z.iso.date()
const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1

export const DailyMetricsQuery = z
  .strictObject({
    from: isoDate.openapi({ description: 'First local day (the organization’s time zone), YYYY-MM-DD' }),
    to: isoDate.openapi({ description: `Last local day, included; at most ${maxRangeDays} days after from` }),
  })
  .superRefine(({ from, to }, ctx) => {
    const days = daysBetween(from, to)
    if (days < 1) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' })
    else if (days > maxRangeDays)
      ctx.addIssue({ code: 'custom', path: ['to'], message: `the range is at most ${maxRangeDays} days` })
  })

const byPhase = z.record(CustomerPhase, count)

export const DailyMetricsDay = z.object({
  day: isoDate,
  live: z.boolean().openapi({ description: 'true for today: computed now, not stored, still moving' }),
  customers_by_phase: byPhase.openapi({ description: 'Customers in each phase at the end of the day' }),
  new_customers: count,
  deleted_customers: count,
  phase_in: byPhase.openapi({ description: 'Phase changes into each phase during the day' }),
  phase_out: byPhase.openapi({ description: 'Phase changes out of each phase during the day' }),
  conversions_won: count.openapi({ description: 'Phase changes into won' }),
  conversions_lost: count.openapi({ description: 'Phase changes into lost' }),
  events_by_type: z.record(TimelineEventType, count).openapi({ description: 'Timeline events of the day' }),
  active_users: count.openapi({ description: 'Distinct people behind the day’s timeline events' }),
  monthly_service_hours: z.number().min(0).nullable().openapi({
    description:
      'Sum over every service, as a run soon after the day saw it; null when none did (backfilled days)',
  }),
  processes_by_status: z
    .record(ProcessStatus, count)
    .nullable()
    .openapi({ description: 'Processes per status, a snapshot like monthly_service_hours' }),
  pipeline_value: Money.nullable().openapi({
    description: 'The open customers’ summed value, a snapshot like monthly_service_hours (docs/metrics.md)',
  }),
  weighted_forecast: Money.nullable().openapi({ description: 'The same weighted by phase probability' }),
  computed_at: z.iso.datetime({ offset: true }),
})

export const DailyMetrics = z
  .object({
    org_id: z.uuid(),
    time_zone: z.string().openapi({ description: 'The IANA zone the days are counted in' }),
    today: isoDate.openapi({ description: 'Today in that zone, by the server’s clock' }),
    from: isoDate,
    to: isoDate,
    days: z.array(DailyMetricsDay).openapi({
      description: 'Oldest first; a past day the nightly job has not computed is absent (run the backfill)',
    }),
  })
  .openapi('DailyMetrics')
