import { z } from '@hono/zod-openapi'
import { integrationOnDelete, integrationProviders, webhookEventStatuses } from '../../domain/vocabulary.ts'
import { CustomerPhase } from '../customers/customers.schemas.ts'

/** The single source of an integration's shape. Its secret is never part of it. */
export const Provider = z.enum(integrationProviders).openapi('IntegrationProvider')

export const Mapping = z
  .strictObject({
    on_delete: z.enum(integrationOnDelete).optional().openapi({
      description: 'A company deleted at the source: delete the customer (default) or keep it unlinked',
    }),
    phase_property: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .openapi({ description: 'The source property holding the phase (HubSpot default: lifecyclestage)' }),
    phase_values: z
      .record(z.string().max(100), CustomerPhase)
      .optional()
      .openapi({ description: 'Source values of that property → phases', example: { customer: 'active' } }),
  })
  .openapi('IntegrationMapping')

const uuid = z.uuid()
const timestamp = z.iso.datetime({ offset: true })

export const Integration = z
  .object({
    id: uuid,
    org_id: uuid,
    provider: Provider,
    name: z.string(),
    enabled: z.boolean(),
    mapping: Mapping,
    webhook_url: z.string().openapi({ description: 'Where the CRM sends its webhooks' }),
    created_by: uuid.nullable(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .openapi('Integration')

export const IntegrationWithSecret = Integration.extend({
  secret: z.string().openapi({
    description:
      'Shown once. HubSpot: the app’s client secret you sent. Pipedrive: "user:password" for the webhook’s HTTP Basic auth. Standard Webhooks: the whsec_ signing secret.',
  }),
}).openapi('IntegrationWithSecret')

export const IntegrationList = z.object({ data: z.array(Integration) }).openapi('IntegrationList')

const secret = z.string().min(16).max(500)

export const IntegrationCreate = z
  .strictObject({
    provider: Provider,
    name: z.string().trim().min(1).max(200),
    secret: secret.optional().openapi({
      description: 'Required for HubSpot (the app’s client secret); generated for the others when left out',
    }),
    enabled: z.boolean().optional(),
    mapping: Mapping.optional(),
  })
  .openapi('IntegrationCreate')

export const IntegrationPatch = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    enabled: z.boolean().optional(),
    mapping: Mapping.optional(),
    secret: secret.optional().openapi({
      description: 'A new secret; the previous one keeps verifying until the next rotation',
    }),
  })
  .refine((p) => Object.keys(p).length > 0, { message: 'send at least one field to change' })
  .openapi('IntegrationPatch')

export const WebhookEventStatus = z.enum(webhookEventStatuses)

export const WebhookEvent = z
  .object({
    id: uuid,
    integration_id: uuid,
    provider: Provider,
    event_id: z.string(),
    status: WebhookEventStatus,
    attempts: z.number().int(),
    last_error: z.string().nullable(),
    received_at: timestamp,
    next_attempt_at: timestamp,
    processed_at: timestamp.nullable(),
    body: z.string().openapi({ description: 'The event as received' }),
  })
  .openapi('WebhookEvent')

export const WebhookEventList = z.object({ data: z.array(WebhookEvent) }).openapi('WebhookEventList')

export const WebhookEventQuery = z.strictObject({
  status: WebhookEventStatus.default('dead').openapi({ description: 'dead (the dead letters) unless asked' }),
  limit: z.coerce.number().int().min(1).max(100).default(50),
})

export const Replayed = z.object({ id: uuid, status: z.literal('pending') }).openapi('ReplayedWebhookEvent')
