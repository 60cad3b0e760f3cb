import { fromBase64, timingSafeEqual, utf8 } from '../signature-primitives.ts'
import {
  type CrmChange,
  type Delivery,
  type IntegrationMapping,
  type Interpretation,
  MalformedDelivery,
  type Provider,
  phaseOf,
  type ReceivedEvent,
  textOf,
} from './types.ts'

/**
 * Pipedrive webhooks v2 (pipedrive.readme.io, "Guide for Webhooks v2"):
 * Pipedrive signs nothing; a webhook is created with http_auth_user and
 * http_auth_password and every delivery carries them as HTTP Basic
 * credentials. The body is { meta, data, previous }: meta.id is the event id,
 * meta.action create | change | delete, meta.entity (person, organization, …),
 * meta.entity_id, meta.timestamp, meta.change_source app | api. Changes made
 * through the API (change_source api, which is how our own writes come back)
 * are ignored, so a sync never echoes itself.
 *
 * The stored secret is "user:password".
 */
const sha256 = async (text: Uint8Array) =>
  new Uint8Array(await crypto.subtle.digest('SHA-256', text as BufferSource))

async function verify(delivery: Delivery, secrets: readonly string[]): Promise<boolean> {
  const header = delivery.headers.get('authorization')
  const match = header?.match(/^Basic\s+([A-Za-z0-9+/=]+)\s*$/i)
  const credentials = match?.[1] ? fromBase64(match[1]) : undefined
  if (!credentials) return false
  // Digests first: equal lengths, so the comparison says nothing about the password's length.
  const given = await sha256(credentials)
  let ok = false
  for (const secret of secrets) if (timingSafeEqual(await sha256(utf8(secret)), given)) ok = true
  return ok
}

interface PipedriveBody {
  meta: {
    id: string
    action: string
    entity?: string
    object?: string
    entity_id?: string | number
    timestamp?: string | number
    change_source?: string
  }
  data: Record<string, unknown> | null
  previous: Record<string, unknown> | null
}

function parse(text: string): PipedriveBody {
  let body: PipedriveBody
  try {
    body = JSON.parse(text)
  } catch {
    throw new MalformedDelivery('The body is not JSON.')
  }
  if (!body || typeof body !== 'object' || !body.meta || typeof body.meta !== 'object')
    throw new MalformedDelivery('The body has no meta.')
  return body
}

function events(delivery: Delivery): ReceivedEvent[] {
  const text = new TextDecoder().decode(delivery.rawBody)
  const { meta } = parse(text)
  const id = textOf(meta.id)
  if (!id) throw new MalformedDelivery('meta.id is missing.')
  return [{ eventId: id, body: text }]
}

const actions: Record<string, CrmChange['action']> = {
  create: 'upsert',
  change: 'upsert',
  delete: 'delete',
  // Webhooks v1 names, for senders not yet moved to v2.
  added: 'upsert',
  updated: 'upsert',
  deleted: 'delete',
}

/** v2 sends ISO timestamps; v1 sent seconds. */
function timeOf(value: unknown): number {
  if (typeof value === 'number') return value < 1e12 ? value * 1000 : value
  const ms = Date.parse(String(value))
  if (Number.isNaN(ms)) throw new MalformedDelivery('meta.timestamp is not a time.')
  return ms
}

/** A person's primary email or phone: v2 sends arrays of { value, primary }. */
function primaryOf(list: unknown): string | null {
  if (typeof list === 'string') return list
  if (!Array.isArray(list) || list.length === 0) return null
  const items = list as { value?: unknown; primary?: boolean }[]
  return textOf((items.find((i) => i.primary) ?? items[0])?.value) || null
}

/** org_id is a number in v2, an object { value } in some v1 payloads. */
const idOf = (value: unknown) =>
  value && typeof value === 'object' ? textOf((value as { value?: unknown }).value) : textOf(value)

/**
 * A deal is money for its organization's customer: its value, expected close
 * date and organization go to the deal's sync state, and from there to the
 * customer (webhooks/apply-deal.ts: the latest changed deal of the
 * organization wins; a deleted deal, or one moved to another organization,
 * gives its customer's deal fields up).
 */
function interpretDeal(meta: PipedriveBody['meta'], body: PipedriveBody): Interpretation {
  const action = Object.hasOwn(actions, meta.action) ? actions[meta.action] : undefined
  if (!action) return { ignored: `action ${meta.action} is not synchronised` }
  const deal = action === 'delete' ? (body.previous ?? body.data) : body.data
  const externalId = textOf(meta.entity_id) ?? idOf(deal?.id)
  if (!externalId) throw new MalformedDelivery('meta.entity_id is missing.')
  const properties: Record<string, string | null> = {}
  if (action === 'upsert' && deal) {
    if ('org_id' in deal) properties.customer = idOf(deal.org_id)
    if ('value' in deal) properties.deal_value = textOf(deal.value)
    if ('expected_close_date' in deal) properties.expected_close_date = textOf(deal.expected_close_date)
  }
  return {
    change: {
      kind: 'deal',
      externalId,
      action,
      occurredAt: timeOf(meta.timestamp),
      properties,
      label: `Pipedrive ${meta.action}.deal`,
    },
  }
}

function interpret(text: string, mapping: IntegrationMapping): Interpretation {
  const body = parse(text)
  const { meta, data } = body
  const entity = meta.entity ?? meta.object
  if (meta.change_source === 'api') return { ignored: 'made through the API (our own sync echoing back)' }
  if (entity === 'deal') return interpretDeal(meta, body)
  const kind = entity === 'organization' ? 'customer' : entity === 'person' ? 'contact' : undefined
  if (!kind) return { ignored: `${entity} is not synchronised` }
  const action = Object.hasOwn(actions, meta.action) ? actions[meta.action] : undefined
  if (!action) return { ignored: `action ${meta.action} is not synchronised` }
  const externalId = textOf(meta.entity_id) ?? idOf(data?.id)
  if (!externalId) throw new MalformedDelivery('meta.entity_id is missing.')
  const properties: Record<string, string | null> = {}
  if (action === 'upsert' && data) {
    if ('name' in data) properties.name = textOf(data.name)
    if (kind === 'customer' && mapping.phase_property && mapping.phase_property in data) {
      const phase = phaseOf(textOf(data[mapping.phase_property]), mapping, {})
      if (phase) properties.phase = phase
    }
    if (kind === 'contact') {
      if ('emails' in data || 'email' in data) properties.email = primaryOf(data.emails ?? data.email)
      if ('phones' in data || 'phone' in data) properties.phone = primaryOf(data.phones ?? data.phone)
      if ('job_title' in data) properties.role = textOf(data.job_title)
      if ('org_id' in data) properties.customer = idOf(data.org_id)
    }
  }
  return {
    change: {
      kind,
      externalId,
      action,
      occurredAt: timeOf(meta.timestamp),
      properties,
      label: `Pipedrive ${meta.action}.${entity}`,
    },
  }
}

export const pipedrive: Provider = { verify, events, interpret }
