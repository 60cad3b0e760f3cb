import type { CrmObjectKind, CustomerPhase } from '../../domain/vocabulary.ts'
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
 * propertyValue; an associationChange names fromObjectId, toObjectId,
 * associationType (e.g. DEAL_TO_COMPANY) and associationRemoved instead of
 * objectId.
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
  objectId?: number | string
  occurredAt: number
  propertyName?: string
  propertyValue?: unknown
  /** associationChange events name two objects instead of objectId. */
  associationType?: string
  fromObjectId?: number | string
  toObjectId?: number | string
  associationRemoved?: boolean
}

const isId = (value: unknown) => typeof value === 'number' || (typeof value === 'string' && value !== '')

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
      typeof e.subscriptionType !== 'string' ||
      typeof e.occurredAt !== 'number'
    ) {
      throw new MalformedDelivery('Each event needs eventId, subscriptionType, objectId and occurredAt.')
    }
    // HubSpot does not promise eventId is unique on its own: with the object
    // (or, for an association, the pair of objects) it names one change.
    if (isId(e.objectId)) return { eventId: `${e.eventId}:${e.objectId}`, body: JSON.stringify(item) }
    if (isId(e.fromObjectId) && isId(e.toObjectId))
      return { eventId: `${e.eventId}:${e.fromObjectId}-${e.toObjectId}`, body: JSON.stringify(item) }
    throw new MalformedDelivery(
      'Each event needs an objectId, or fromObjectId and toObjectId for an association change.',
    )
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

/** A deal's money: its amount and close date (epoch milliseconds, as HubSpot sends dates). */
const dealProperties: Record<string, string> = {
  amount: 'deal_value',
  closedate: 'expected_close_date',
}

const objectKinds: Record<string, CrmObjectKind> = { company: 'customer', contact: 'contact', deal: 'deal' }
const objectActions: Record<string, CrmChange['action']> = {
  creation: 'upsert',
  restore: 'upsert',
  propertyChange: 'upsert',
  deletion: 'delete',
}

/** A property change's meaning for each kind, or why it is not synchronised. */
function propertiesOf(
  kind: CrmObjectKind,
  e: HubspotEvent,
  mapping: IntegrationMapping,
): Record<string, string | null> | string {
  const name = e.propertyName ?? ''
  const value = textOf(e.propertyValue)
  if (kind === 'customer') {
    if (name === 'name') return { name: value }
    if (name !== (mapping.phase_property ?? 'lifecyclestage'))
      return `company property ${name} is not synchronised`
    const phase = phaseOf(value, mapping, lifecycleStages)
    return phase ? { phase } : `${name} = ${value} maps to no phase`
  }
  const table = kind === 'contact' ? contactProperties : dealProperties
  const ours = Object.hasOwn(table, name) ? table[name] : undefined
  return ours ? { [ours]: value } : `${kind} property ${name} is not synchronised`
}

/**
 * An association between a company and a contact or a deal (HubSpot sends one
 * event from each side): the contact or deal gains or loses its company.
 */
function interpretAssociation(e: HubspotEvent): Interpretation {
  const [, from, to] =
    /^(COMPANY|CONTACT|DEAL)_TO_(COMPANY|CONTACT|DEAL)(?:_|$)/.exec(e.associationType ?? '') ?? []
  const other = from === 'COMPANY' ? to : to === 'COMPANY' ? from : undefined
  if (!other || other === 'COMPANY')
    return { ignored: `association ${e.associationType} is not synchronised` }
  const [object, company] =
    from === 'COMPANY' ? [e.toObjectId, e.fromObjectId] : [e.fromObjectId, e.toObjectId]
  const companyId = String(company)
  const change: CrmChange = {
    kind: other === 'DEAL' ? 'deal' : 'contact',
    externalId: String(object),
    action: 'upsert',
    occurredAt: e.occurredAt,
    properties: e.associationRemoved === true ? {} : { customer: companyId },
    label: `HubSpot ${e.subscriptionType}`,
  }
  if (e.associationRemoved === true) change.dissociatedFrom = companyId
  return { change }
}

function interpret(body: string, mapping: IntegrationMapping): Interpretation {
  const e = JSON.parse(body) as HubspotEvent
  const [object = '', action = ''] = e.subscriptionType.split('.')
  const kind = Object.hasOwn(objectKinds, object) ? objectKinds[object] : undefined
  if (kind && action === 'associationChange') return interpretAssociation(e)
  const changeAction = Object.hasOwn(objectActions, action) ? objectActions[action] : undefined
  if (!kind || !changeAction) return { ignored: `${e.subscriptionType} is not synchronised` }
  const change: CrmChange = {
    kind,
    externalId: String(e.objectId),
    action: changeAction,
    occurredAt: e.occurredAt,
    properties: {},
    label: `HubSpot ${e.subscriptionType}`,
  }
  if (action === 'propertyChange' && e.propertyName) {
    const properties = propertiesOf(kind, e, mapping)
    if (typeof properties === 'string') return { ignored: properties }
    change.properties = properties
  }
  return { change }
}

export const hubspot: Provider = { verify, events, interpret }
