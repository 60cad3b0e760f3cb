import { fromBase64, hmacSha256, timingSafeEqual, utf8 } from '../signature-primitives.ts'
import {
  type Delivery,
  FIVE_MINUTES_MS,
  type IntegrationMapping,
  type Interpretation,
  MalformedDelivery,
  type Provider,
  phaseOf,
  type ReceivedEvent,
  textOf,
} from './types.ts'

/**
 * Standard Webhooks (standardwebhooks.com, spec v1): headers webhook-id,
 * webhook-timestamp (Unix seconds) and webhook-signature, a space-delimited
 * list of `v1,<base64 HMAC-SHA256>` over `${id}.${timestamp}.${body}`, keyed
 * with the base64 part of the `whsec_` secret. Timestamps more than 5 minutes
 * away from now, either way, are refused. Several signatures are sent while a
 * sender rotates its secret: any valid one passes.
 *
 * The payload is the spec's recommended envelope, { type, timestamp, data }, with
 * our event types: customer.created | customer.updated | customer.deleted and
 * the same for contact; data.id is the sender's id of the object.
 */
export function standardWebhooksKey(secret: string): Uint8Array | undefined {
  return secret.startsWith('whsec_') ? fromBase64(secret.slice('whsec_'.length)) : utf8(secret)
}

async function verify(delivery: Delivery, secrets: readonly string[]): Promise<boolean> {
  const id = delivery.headers.get('webhook-id')
  const timestamp = delivery.headers.get('webhook-timestamp')
  const header = delivery.headers.get('webhook-signature')
  if (!id || !timestamp || !header || !/^\d{1,12}$/.test(timestamp)) return false
  if (Math.abs(delivery.now - Number(timestamp) * 1000) > FIVE_MINUTES_MS) return false
  const given = header
    .split(' ')
    .filter((s) => s.startsWith('v1,'))
    .map((s) => fromBase64(s.slice(3)))
    .filter((s): s is Uint8Array => s !== undefined)
  if (given.length === 0) return false
  const prefix = utf8(`${id}.${timestamp}.`)
  const signed = new Uint8Array(prefix.length + delivery.rawBody.length)
  signed.set(prefix)
  signed.set(delivery.rawBody, prefix.length)
  let ok = false
  for (const secret of secrets) {
    const key = standardWebhooksKey(secret)
    if (!key) continue
    const expected = await hmacSha256(key, signed)
    for (const signature of given) if (timingSafeEqual(expected, signature)) ok = true
  }
  return ok
}

function events(delivery: Delivery): ReceivedEvent[] {
  const text = new TextDecoder().decode(delivery.rawBody)
  try {
    JSON.parse(text)
  } catch {
    throw new MalformedDelivery('The body is not JSON.')
  }
  // verify() has checked the header is there.
  return [{ eventId: delivery.headers.get('webhook-id') as string, body: text }]
}

const actions: Record<string, 'upsert' | 'delete'> = {
  created: 'upsert',
  updated: 'upsert',
  deleted: 'delete',
}

function interpret(text: string, mapping: IntegrationMapping): Interpretation {
  const body = JSON.parse(text) as { type?: unknown; timestamp?: unknown; data?: Record<string, unknown> }
  const [object, verb] = String(body.type ?? '').split('.')
  const kind = object === 'customer' ? 'customer' : object === 'contact' ? 'contact' : undefined
  const action = verb && Object.hasOwn(actions, verb) ? actions[verb] : undefined
  if (!kind || !action) return { ignored: `${String(body.type)} is not synchronised` }
  const data = body.data ?? {}
  const externalId = textOf(data.id)
  if (!externalId) throw new MalformedDelivery('data.id is missing.')
  const occurredAt = Date.parse(String(body.timestamp))
  if (Number.isNaN(occurredAt)) throw new MalformedDelivery('timestamp is not a time.')
  const properties: Record<string, string | null> = {}
  const fields = kind === 'customer' ? ['name'] : ['name', 'email', 'phone', 'role']
  for (const field of fields) if (field in data) properties[field] = textOf(data[field])
  if (kind === 'contact' && 'customer_id' in data) properties.customer = textOf(data.customer_id)
  const phaseProperty = mapping.phase_property ?? 'phase'
  if (kind === 'customer' && phaseProperty in data) {
    const value = textOf(data[phaseProperty])
    const phase = phaseOf(value, mapping, {}) ?? value
    if (phase) properties.phase = phase
  }
  return {
    change: {
      kind,
      externalId,
      action,
      occurredAt,
      properties,
      label: `Standard Webhooks ${String(body.type)}`,
    },
  }
}

export const standardWebhooks: Provider = { verify, events, interpret }
