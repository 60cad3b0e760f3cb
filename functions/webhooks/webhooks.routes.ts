import { z } from '@hono/zod-openapi'
import { integrationProviders } from '../domain/vocabulary.ts'
import { createApiRoute, jsonContent, problemResponses } from '../http/openapi-common.ts'

export const WebhookParams = z.object({
  provider: z.string().openapi({
    param: { name: 'provider', in: 'path' },
    example: 'hubspot',
    description: `One of ${integrationProviders.join(', ')}`,
  }),
  integrationId: z
    .string()
    .openapi({ param: { name: 'integrationId', in: 'path' }, description: 'The integration’s id' }),
})

export const WebhookReceipt = z
  .object({
    received: z.number().int().openapi({ description: 'Events in the delivery' }),
    stored: z.number().int().openapi({ description: 'Events stored for processing' }),
    duplicates: z.number().int().openapi({ description: 'Events already received (changed nothing)' }),
  })
  .openapi('WebhookReceipt')

export const receive = createApiRoute({
  method: 'post',
  path: '/webhooks/{provider}/{integrationId}',
  tags: ['Webhooks'],
  summary: 'Receive a CRM’s webhook delivery (no user token: verified by the provider’s signature)',
  description: [
    'HubSpot: X-HubSpot-Signature-v3 and X-HubSpot-Request-Timestamp (v3 signature, at most 5 minutes old).',
    'Pipedrive (webhooks v2): HTTP Basic credentials set on the webhook.',
    'Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature (v1, ±5 minutes).',
    'The body is read raw and verified before anything is parsed; it is stored, the answer is immediate',
    'and processing happens after it. A redelivered event answers 200 and changes nothing.',
  ].join(' '),
  request: { params: WebhookParams },
  responses: {
    200: jsonContent(WebhookReceipt, 'Stored (or already stored)'),
    ...problemResponses(401, 403, 413),
  },
})
