import { z } from '@hono/zod-openapi'
import { customerPhases, customerSorts, defaultCustomerSort } from '../../domain/vocabulary.ts'
import { Money, moneyInput } from '../../http/money.ts'
import { versionField } from '../../http/openapi-common.ts'
import { PageQuery } from '../../http/params.ts'
import { patchOf } from '../../http/patch-body.ts'

/** The single source of a customer's shape: the API validates with it, OpenAPI is generated from it. */
export const CustomerPhase = z.enum(customerPhases).openapi('CustomerPhase')

const uuid = z.uuid()
const name = z.string().trim().min(1).max(200)
const nextStep = z.string().trim().min(1).max(500)
/** The pre-sale fields a client may set; null clears one. */
const dealFields = {
  // customers.deal_value is numeric(14, 2).
  // The money input documents itself as a string; null is said here, or the document would hide it.
  deal_value: moneyInput(12, 'A one-off deal value, beside the services’ recurring value')
    .nullable()
    .optional()
    .openapi({ type: ['string', 'null'] }),
  expected_close_date: z.iso.date().nullable().optional(),
  next_step: nextStep.nullable().optional(),
}

export const Customer = z
  .object({
    id: uuid,
    org_id: uuid,
    name: z.string(),
    phase: CustomerPhase,
    owner_id: uuid.nullable(),
    external_ids: z.record(z.string(), z.string()).openapi({ example: { hubspot: '1234' } }),
    deal_value: Money.nullable(),
    expected_close_date: z.iso.date().nullable(),
    next_step: z.string().nullable(),
    monthly_recurring_value: Money.openapi({ description: 'The sum of its services: monthly hours × rate' }),
    value: Money.openapi({ description: 'deal_value + 12 × monthly_recurring_value (docs/metrics.md)' }),
    weighted_value: Money.openapi({ description: 'value × the probability of its phase' }),
    phase_entered_at: z.iso.datetime({ offset: true }),
    days_in_phase: z.number().int().min(0),
    created_at: z.iso.datetime({ offset: true }),
    updated_at: z.iso.datetime({ offset: true }),
    version: versionField,
  })
  .openapi('Customer')

export const CustomerDetail = Customer.extend({
  counts: z.object({
    contacts: z.number().int(),
    teams: z.number().int(),
    processes: z.number().int(),
    services: z.number().int(),
    documents: z.number().int(),
    timeline_events: z.number().int(),
  }),
}).openapi('CustomerDetail')

/** What a client may set: no id, org, timestamps (strict: anything else is a 400). */
export const CustomerCreate = z
  .strictObject({
    name,
    phase: CustomerPhase.optional(),
    owner_id: uuid
      .nullable()
      .optional()
      .openapi({ description: 'Defaults to the caller. Only managers may set another member.' }),
    ...dealFields,
  })
  .openapi('CustomerCreate')

export const CustomerPatch = patchOf(
  z.strictObject({ name, phase: CustomerPhase, owner_id: uuid.nullable(), ...dealFields }),
).openapi('CustomerPatch')

export const CustomerListQuery = PageQuery.extend({
  sort: z.enum(customerSorts).default(defaultCustomerSort),
  phase: z
    .string()
    .optional()
    .transform((s) => (s ? s.split(',') : undefined))
    .pipe(z.array(CustomerPhase).max(customerPhases.length).optional())
    .openapi({
      type: 'string',
      description: 'One phase or several, comma-separated',
      example: 'lead,qualified',
    }),
  owner_id: uuid.optional(),
  q: z.string().trim().min(1).max(100).optional().openapi({ description: 'Search in names' }),
  updated_since: z.iso.datetime({ offset: true }).optional(),
})

export const CustomerPage = z
  .object({ data: z.array(Customer), next_cursor: z.string().nullable() })
  .openapi('CustomerPage')
