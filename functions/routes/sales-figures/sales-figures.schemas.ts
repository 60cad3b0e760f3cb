import { z } from '@hono/zod-openapi'
import { Money } from '../../http/money.ts'
import { CustomerPhase } from '../customers/customers.schemas.ts'

/** The longest win-rate window one request may ask for. */
export const maxWinRateDays = 365

export const SalesFiguresQuery = z.strictObject({
  win_rate_days: z.coerce.number().int().min(7).max(maxWinRateDays).default(90).openapi({
    description: 'The win rate’s window in days, ending now; compared with the same number of days before',
  }),
})

const count = z.number().int().min(0)
const money = Money

const Amounts = z.object({ customers: count, value: money, weighted_value: money })

const Closed = z.object({
  won: count.openapi({ description: 'Customers whose last phase change of the period was into won' }),
  won_value: money.openapi({ description: 'Their value now (a deleted customer counts, with no value)' }),
  starts_at: z.iso.datetime({ offset: true }),
  ends_at: z.iso.datetime({ offset: true }),
})

const WinRate = z.object({
  won: count,
  lost: count,
  rate: z.number().min(0).max(1).nullable().openapi({ description: 'won ÷ (won + lost); null when neither' }),
  average_days_to_close: z
    .number()
    .min(0)
    .nullable()
    .openapi({ description: 'From creation to won, averaged over the customers won in the window' }),
  starts_at: z.iso.datetime({ offset: true }),
  ends_at: z.iso.datetime({ offset: true }),
})

export const SalesFigures = z
  .object({
    org_id: z.uuid(),
    as_of: z.iso.datetime({ offset: true }),
    currency: z.string().length(3).openapi({ description: 'ISO 4217 code of every amount' }),
    pipeline: Amounts.extend({
      by_phase: z
        .array(Amounts.extend({ phase: CustomerPhase, probability: z.number().int().min(0).max(100) }))
        .openapi({ description: 'Every open phase in pipeline order, zeros included' }),
      month_ago: z.object({ day: z.iso.date(), value: money, weighted_value: money }).nullable().openapi({
        description: 'The pipeline the nightly run stored for this day last month; null if none',
      }),
    }).openapi({
      description: 'Customers in an open phase: their value, and weighted by each phase’s probability',
    }),
    by_phase: z
      .array(Amounts.extend({ phase: CustomerPhase }))
      .openapi({ description: 'Every phase in pipeline order (the board’s columns), zeros included' }),
    forecast: z.object({
      months: z
        .array(Amounts.extend({ month: z.string().regex(/^\d{4}-\d{2}$/) }))
        .openapi({ description: 'Open customers by expected close month: this quarter and the next two' }),
      overdue: Amounts.openapi({ description: 'Open customers whose expected close date has passed' }),
      undated: Amounts.openapi({ description: 'Open customers without an expected close date' }),
    }),
    won: z.object({
      month: Closed.extend({ previous: Closed }).openapi({
        description: 'This month so far, and the same span of last month',
      }),
      quarter: Closed.extend({ previous: Closed }).openapi({
        description: 'This quarter so far, and the same span of last quarter',
      }),
    }),
    win_rate: WinRate.extend({ days: count, previous: WinRate }),
    stuck: z.object({
      total: count,
      customers: z
        .array(
          z.object({
            id: z.uuid(),
            name: z.string(),
            phase: CustomerPhase,
            days_in_phase: count,
            stuck_after_days: count,
            value: money,
            owner_id: z.uuid().nullable(),
          }),
        )
        .openapi({ description: 'The ten furthest past their phase’s threshold' }),
    }),
  })
  .openapi('SalesFigures')
