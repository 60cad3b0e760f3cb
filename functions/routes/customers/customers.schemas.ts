import { z } from '@hono/zod-openapi'
import { customerPhases, customerSorts, defaultCustomerSort } from '../../domain/vocabulary.ts'
import { versionField } from '../../http/openapi-common.ts'
import { PageQuery } from '../../http/params.ts'

/** The single source of a customer's shape: the API validates with it, OpenAPI is generated from it. */
export const CustomerPhase = z.enum(customerPhases).openapi('CustomerPhase')

const uuid = z.uuid()
const name = z.string().trim().min(1).max(200)

export const Customer = z
  .object({
    id: uuid,
    org_id: uuid,
    name: z.string(),
    phase: CustomerPhase,
    owner_id: uuid.nullable(),
    external_ids: z.record(z.string(), z.string()).openapi({ example: { hubspot: '1234' } }),
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
  })
  .openapi('CustomerCreate')

export const CustomerPatch = z
  .strictObject({
    name: name.optional(),
    phase: CustomerPhase.optional(),
    owner_id: uuid.nullable().optional(),
  })
  .refine((p) => Object.keys(p).length > 0, { message: 'send at least one field to change' })
  .openapi('CustomerPatch')

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
