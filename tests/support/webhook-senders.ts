import { createHmac } from 'node:crypto'

/**
 * What each CRM sends, written from the vendors' documentation with node:crypto
 * and nothing of ours, so tests check our verifier against the spec, not
 * against itself.
 */

/**
 * HubSpot v3 (developers.hubspot.com, Validating requests): base64 of
 * HMAC-SHA256(client secret, method + URI + body + timestamp), timestamp in ms.
 */
export function hubspotHeaders(options: {
  secret: string
  method?: string
  uri: string
  body: string
  timestamp?: number
}): Record<string, string> {
  const timestamp = String(options.timestamp ?? Date.now())
  const source = `${options.method ?? 'POST'}${options.uri}${options.body}${timestamp}`
  const signature = createHmac('sha256', Buffer.from(options.secret, 'utf8'))
    .update(source, 'utf8')
    .digest('base64')
  return {
    'content-type': 'application/json',
    'x-hubspot-signature-v3': signature,
    'x-hubspot-request-timestamp': timestamp,
  }
}

/** Pipedrive webhooks: the webhook's http_auth_user / http_auth_password as HTTP Basic. */
export function pipedriveHeaders(user: string, password: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    authorization: `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`,
  }
}

/**
 * Standard Webhooks: v1,<base64 HMAC-SHA256> over `${id}.${timestamp}.${body}`,
 * keyed with the base64-decoded part of the whsec_ secret; several signatures
 * space-separated.
 */
export function standardWebhooksSignature(
  secret: string,
  id: string,
  timestamp: number,
  body: string,
): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64')
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`, 'utf8').digest('base64')}`
}

export function standardWebhooksHeaders(options: {
  secrets: string[]
  id: string
  body: string
  timestamp?: number
}): Record<string, string> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000)
  return {
    'content-type': 'application/json',
    'webhook-id': options.id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': options.secrets
      .map((s) => standardWebhooksSignature(s, options.id, timestamp, options.body))
      .join(' '),
  }
}

/** A HubSpot event as HubSpot's webhooks documentation shows them. */
export function hubspotEvent(fields: {
  eventId: number
  subscriptionType: string
  objectId: number
  occurredAt: number
  propertyName?: string
  propertyValue?: string
}) {
  return {
    subscriptionId: 4483,
    portalId: 62515,
    appId: 54321,
    attemptNumber: 0,
    changeSource: 'CRM_UI',
    ...fields,
  }
}

/** One HubSpot associationChange event: two objects instead of objectId (e.g. DEAL_TO_COMPANY). */
export function hubspotAssociation(fields: {
  eventId: number
  subscriptionType: string
  associationType: string
  fromObjectId: number
  toObjectId: number
  occurredAt: number
  associationRemoved?: boolean
}) {
  return {
    subscriptionId: 4484,
    portalId: 62515,
    appId: 54321,
    attemptNumber: 0,
    changeSource: 'USER',
    associationRemoved: false,
    isPrimaryAssociation: false,
    ...fields,
  }
}

/** A Pipedrive webhooks v2 body: meta, data, previous. */
export function pipedriveBody(fields: {
  id: string
  action: 'create' | 'change' | 'delete'
  entity: string
  entityId: string | number
  timestamp: string
  changeSource?: 'app' | 'api'
  data?: Record<string, unknown> | null
  previous?: Record<string, unknown> | null
}) {
  return {
    meta: {
      action: fields.action,
      company_id: '1234',
      correlation_id: '5b6e1f0c-0000-0000-0000-000000000000',
      entity_id: String(fields.entityId),
      entity: fields.entity,
      id: fields.id,
      is_bulk_edit: false,
      timestamp: fields.timestamp,
      type: 'general',
      user_id: '42',
      version: '2.0',
      webhook_id: '77',
      webhook_owner_id: '42',
      change_source: fields.changeSource ?? 'app',
      attempt: 1,
      host: 'example.pipedrive.com',
    },
    data: fields.data === undefined ? { id: Number(fields.entityId) } : fields.data,
    previous: fields.previous ?? null,
  }
}
