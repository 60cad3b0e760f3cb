import { z } from '@hono/zod-openapi'
import { currencies } from '../../domain/vocabulary.ts'
import { Money, moneyInput } from '../../http/money.ts'
import { patchOf } from '../../http/patch-body.ts'
import { CustomerPhase } from '../customers/customers.schemas.ts'
import { MembershipRole } from '../me/me.schemas.ts'

/** The single source of an organization's shape as its creator gets it back. */
export const Organization = z
  .object({
    id: z.uuid(),
    name: z.string(),
    time_zone: z.string(),
    role: MembershipRole.openapi({ description: 'Your role in it: its creator owns it' }),
    created_at: z.iso.datetime({ offset: true }),
  })
  .openapi('Organization')

/** A time zone a client sends; the database judges the name (organizations_time_zone_known). */
export const TimeZone = z.string().min(1).max(64).openapi({
  description: 'An IANA zone the database knows: its day for the metrics',
  example: 'Europe/Berlin',
})

export const OrganizationCreate = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    time_zone: TimeZone.optional().openapi({
      description: 'An IANA zone the database knows (default UTC): its day for the metrics',
    }),
  })
  .openapi('OrganizationCreate')

/** An organization's settings as a member reads them. */
export const OrganizationSettings = Organization.extend({
  currency: z.enum(currencies).openapi({ description: 'ISO 4217: every amount of the organization' }),
  default_hourly_rate: Money.openapi({ description: 'The rate of a service without one of its own' }),
}).openapi('OrganizationSettings')

export const OrganizationPatch = patchOf(
  z.strictObject({
    name: z.string().trim().min(1).max(200),
    time_zone: TimeZone,
    currency: z.enum(currencies),
    // organizations.default_hourly_rate is numeric(12, 2).
    default_hourly_rate: moneyInput(10, 'The rate of a service without one of its own'),
  }),
).openapi('OrganizationPatch')

export const PhaseSetting = z
  .object({
    phase: CustomerPhase,
    probability: z
      .number()
      .int()
      .min(0)
      .max(100)
      .nullable()
      .openapi({ description: 'Percent, open phases only (won counts 100, lost and churned 0)' }),
    stuck_after_days: z
      .number()
      .int()
      .min(1)
      .nullable()
      .openapi({ description: 'Longer in the phase is stuck' }),
  })
  .openapi('PhaseSetting')

export const PhaseSettings = z.object({ data: z.array(PhaseSetting) }).openapi('PhaseSettings')

export const PhaseParams = z.object({
  orgId: z.uuid().openapi({ param: { name: 'orgId', in: 'path' } }),
  phase: CustomerPhase.openapi({ param: { name: 'phase', in: 'path' } }),
})

export const PhaseSettingPatch = patchOf(
  z.strictObject({
    probability: z.number().int().min(0).max(100).nullable(),
    stuck_after_days: z.number().int().min(1).max(3650).nullable(),
  }),
).openapi('PhaseSettingPatch')
