import type { CustomerPhase } from '../../domain/vocabulary.ts'
import { fromBase64, hmacSha256, timingSafeEqual, utf8 } from '../signature-primitives.ts'
import {
  type CrmChange,
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
 * HubSpot webhooks, signature v3 (developers.hubspot.com, "Validating requests"):
 * X-HubSpot-Signature-v3 is base64(HMAC-SHA256(client secret,
 * method + URI + body + X-HubSpot-Request-Timestamp)), the URI with HubSpot's
 * list of percent-encoded characters decoded; requests whose timestamp (ms) is
 * older than 5 minutes are rejected. A delivery is a JSON array of up to 100
 * events: eventId, subscriptionType, objectId, occurredAt (ms), propertyName,
 * propertyValue.
 */
const decodedInUri: Record<string, string> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
}

export function hubspotSignedUri(url: string): string {
  return url.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => decodedInUri[m.toUpperCase()] ?? m)
}

async function verify(delivery: Delivery, secrets: readonly string[]): Promise<boolean> {
  const signature = delivery.headers.get('x-hubspot-signature-v3')
  const timestamp = delivery.headers.get('x-hubspot-request-timestamp')
  if (!signature || !timestamp || !/^\d{1,16}$/.test(timestamp)) return false
  // HubSpot documents refusing timestamps older than 5 minutes; one as far ahead is refused
  // too, or a captured delivery stamped in the future could be replayed for ever.
  if (Math.abs(delivery.now - Number(timestamp)) > FIVE_MINUTES_MS) return false
  const given = fromBase64(signature.trim())
  if (!given) return false
  const prefix = utf8(`${delivery.method.toUpperCase()}${hubspotSignedUri(delivery.url)}`)
  const signed = new Uint8Array(prefix.length + delivery.rawBody.length + timestamp.length)
  signed.set(prefix)
  signed.set(delivery.rawBody, prefix.length)
  signed.set(utf8(timestamp), prefix.length + delivery.rawBody.length)
  let ok = false
  for (const secret of secrets) {
    // Every secret is tried (no early exit), so timing does not tell which one matched.
    if (timingSafeEqual(await hmacSha256(utf8(secret), signed), given)) ok = true
  }
  return ok
}

interface HubspotEvent {
  eventId: number | string
  subscriptionType: string
  objectId: number | string
  occurredAt: number
  propertyName?: string
  propertyValue?: unknown
}

function events(delivery: Delivery): ReceivedEvent[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(new TextDecoder().decode(delivery.rawBody))
  } catch {
    throw new MalformedDelivery('The body is not JSON.')
  }
  const list = Array.isArray(parsed) ? parsed : [parsed]
  return list.map((item) => {
    const e = item as Partial<HubspotEvent>
    if (
      !e ||
      typeof e !== 'object' ||
      e.eventId === undefined ||
      e.objectId === undefined ||
      typeof e.subscriptionType !== 'string' ||
      typeof e.occurredAt !== 'number'
    ) {
      throw new MalformedDelivery('Each event needs eventId, subscriptionType, objectId and occurredAt.')
    }
    // HubSpot does not promise eventId is unique on its own: with the object it names one change.
    return { eventId: `${e.eventId}:${e.objectId}`, body: JSON.stringify(item) }
  })
}

const lifecycleStages: Record<string, CustomerPhase> = {
  subscriber: 'lead',
  lead: 'lead',
  marketingqualifiedlead: 'qualified',
  salesqualifiedlead: 'qualified',
  opportunity: 'proposal',
  customer: 'active',
  evangelist: 'active',
}

const contactProperties: Record<string, string> = {
  firstname: 'firstname',
  lastname: 'lastname',
  email: 'email',
  phone: 'phone',
  jobtitle: 'role',
  associatedcompanyid: 'customer',
}

function interpret(body: string, mapping: IntegrationMapping): Interpretation {
  const e = JSON.parse(body) as HubspotEvent
  const [object, action] = e.subscriptionType.split('.') as [string, string]
  const kind = object === 'company' ? 'customer' : object === 'contact' ? 'contact' : undefined
  if (!kind) return { ignored: `${e.subscriptionType} is not synchronised` }
  const change: CrmChange = {
    kind,
    externalId: String(e.objectId),
    action: action === 'deletion' ? 'delete' : 'upsert',
    occurredAt: e.occurredAt,
    properties: {},
    label: `HubSpot ${e.subscriptionType}`,
  }
  if (action === 'propertyChange' && e.propertyName) {
    const value = textOf(e.propertyValue)
    if (kind === 'customer') {
      const phaseProperty = mapping.phase_property ?? 'lifecyclestage'
      if (e.propertyName === 'name') change.properties.name = value
      else if (e.propertyName === phaseProperty) {
        const phase = phaseOf(value, mapping, lifecycleStages)
        if (!phase) return { ignored: `${e.propertyName} = ${value} maps to no phase` }
        change.properties.phase = phase
      } else return { ignored: `company property ${e.propertyName} is not synchronised` }
    } else {
      const ours = contactProperties[e.propertyName]
      if (!ours) return { ignored: `contact property ${e.propertyName} is not synchronised` }
      change.properties[ours] = value
    }
  } else if (!['creation', 'deletion', 'restore', 'propertyChange'].includes(action)) {
    return { ignored: `${e.subscriptionType} is not synchronised` }
  }
  return { change }
}

export const hubspot: Provider = { verify, events, interpret }
