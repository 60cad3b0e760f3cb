import type { Transaction } from '../db/database.ts'
import { type CustomerPhase, customerPhases, type IntegrationProvider } from '../domain/vocabulary.ts'
import { createContacts, deleteContact, updateContacts } from '../queries/contacts.ts'
import {
  createCustomers,
  customerHoldingExternalId,
  deleteCustomer,
  linkExternalIds,
  unlinkExternalId,
  updateCustomers,
} from '../queries/customers.ts'
import {
  companyOfKnownContact,
  lockCompanyChanges,
  lockObjectState,
  lockWaitingContacts,
  type ObjectState,
  saveObjectState,
  setContactLocalId,
} from '../queries/integration-objects.ts'
import { recordCrmSync } from '../queries/timeline.ts'
import type { CrmChange, IntegrationMapping } from './providers/types.ts'

/** The event being applied, as process.ts read it. */
export interface EventContext {
  id: string
  org_id: string
  integration_id: string
  provider: IntegrationProvider
  event_id: string
  mapping: IntegrationMapping
}

export type ApplyOutcome = 'applied' | 'stale'

const providerLabels: Record<IntegrationProvider, string> = {
  hubspot: 'HubSpot',
  pipedrive: 'Pipedrive',
  standard_webhooks: 'CRM',
}

/**
 * Applies one change, in the caller's service-role transaction: merges it into
 * the object's sync state property by property (a property changed at the
 * source later than this event keeps its value: out-of-order deliveries never
 * go back in time), then makes the customer or contact match that state and
 * records the change in the timeline as the integration's.
 */
export async function applyChange(tx: Transaction, event: EventContext, change: CrmChange) {
  await lockCompany(tx, event, change)
  const object = { integrationId: event.integration_id, kind: change.kind, externalId: change.externalId }
  const state = await lockObjectState(tx, event.org_id, object)
  if (!state) throw new Error('the sync state row vanished')
  const merged = merge(state, change)
  if (!merged) return 'stale' as ApplyOutcome

  const localId =
    change.kind === 'customer'
      ? await materializeCustomer(tx, event, change.externalId, merged)
      : await materializeContact(tx, event, change.externalId, merged)
  await saveObjectState(tx, object, {
    local_id: localId,
    properties: merged.properties,
    changed_at: merged.changed_at,
    deleted_ms: merged.deleted_ms,
  })
  const customerId = change.kind === 'customer' ? localId : await customerOfContact(tx, event, merged)
  if (change.kind === 'customer' && localId) await materializeWaitingContacts(tx, event, change.externalId)
  await recordTimeline(tx, event, change, merged, customerId)
  return 'applied' as ApplyOutcome
}

/**
 * Changes touching one company apply one at a time: the company's own, and
 * those of contacts that belong to it, so a contact and its company arriving
 * together on two connections cannot miss each other (the contact would wait
 * for a company its transaction cannot see yet). Other objects go in parallel.
 */
async function lockCompany(tx: Transaction, event: EventContext, change: CrmChange) {
  let company: string | null | undefined =
    change.kind === 'customer' ? change.externalId : change.properties.customer
  if (company === undefined)
    company = await companyOfKnownContact(tx, event.integration_id, change.externalId)
  if (!company) return
  await lockCompanyChanges(tx, event.integration_id, company)
}

interface Merged extends ObjectState {
  /** Properties this event changed. */
  changed: string[]
  wasDeleted: boolean
}

function merge(state: ObjectState, change: CrmChange): Merged | undefined {
  const at = change.occurredAt
  const latest = Math.max(0, ...Object.values(state.changed_at))
  const wasDeleted = state.deleted_ms !== null
  if (state.deleted_ms !== null && at <= state.deleted_ms) return undefined
  if (change.action === 'delete') {
    // A delete older than a later change at the source is history: the object lives on.
    if (at < latest) return undefined
    return { ...state, deleted_ms: at, changed: [], wasDeleted }
  }
  const properties = { ...state.properties }
  const changedAt = { ...state.changed_at }
  const changed: string[] = []
  for (const [name, value] of Object.entries(change.properties)) {
    const seen = changedAt[name]
    if (seen !== undefined && seen >= at) continue
    properties[name] = value
    changedAt[name] = at
    changed.push(name)
  }
  // The object exists from its first event on, even one with no properties (a creation).
  changedAt._seen = Math.max(changedAt._seen ?? 0, at)
  const fresh = state.local_id === null && !wasDeleted && latest === 0
  if (changed.length === 0 && !wasDeleted && !fresh && state.local_id !== null) return undefined
  return {
    local_id: state.local_id,
    properties,
    changed_at: changedAt,
    deleted_ms: null,
    changed,
    wasDeleted,
  }
}

const clean = (value: string | null | undefined, max: number) => {
  const v = value?.trim()
  return v && v.length <= max ? v : null
}
const emailPattern = /^[^@\s]+@[^@\s]+\.[^@\s]+$/
const phonePattern = /^\+?[0-9 ()./-]{3,32}$/
const validPhase = (p: string | null | undefined) =>
  p && (customerPhases as readonly string[]).includes(p) ? (p as CustomerPhase) : null

/**
 * Makes the customer match the object's state, by the rule every writer of
 * customers follows (queries/customers.ts): the customer is the one holding
 * the object's external id, else the one this object last became (its link
 * was removed meanwhile), else a new one; it is then linked to the id, which
 * replaces an earlier id of this provider.
 */
async function materializeCustomer(
  tx: Transaction,
  event: EventContext,
  externalId: string,
  state: Merged,
): Promise<string | null> {
  const holder = await customerHoldingExternalId(tx, event.org_id, event.provider, externalId)
  if (state.deleted_ms !== null) {
    const id = holder ?? state.local_id
    if (!id) return null
    if (event.mapping.on_delete === 'keep')
      await unlinkExternalId(tx, event.org_id, { customerId: id, provider: event.provider, externalId })
    else await deleteCustomer(tx, id, { orgId: event.org_id })
    return null
  }
  const name = clean(state.properties.name, 200) ?? undefined
  const phase = validPhase(state.properties.phase) ?? undefined
  const deal = dealOf(state.properties)
  const known = holder ?? state.local_id
  const [updated] = known
    ? await updateCustomers(tx, [{ id: known, name, phase, ...deal }], { orgId: event.org_id })
    : []
  const id =
    updated?.id ??
    (
      await createCustomers(tx, event.org_id, [
        {
          name: name ?? `${providerLabels[event.provider]} company ${externalId}`.slice(0, 200),
          phase,
          ownerId: null,
          ...deal,
        },
      ])
    )[0]?.id
  if (!id) throw new Error('the new customer was not returned')
  await linkExternalIds(tx, event.org_id, [{ customerId: id, provider: event.provider, externalId }])
  return id
}

/**
 * The deal fields a customer's sync state holds, as the customer's columns
 * take them: an amount of at most 12 integer digits, rounded to the cent; a
 * close date as YYYY-MM-DD (a timestamp's UTC day) from 1900 to 2999. A value
 * that is neither stays out (the customer keeps what it has); a property the
 * source cleared clears it.
 */
export function dealOf(properties: Record<string, string | null>): {
  dealValue?: string | null
  expectedCloseDate?: string | null
} {
  const deal: { dealValue?: string | null; expectedCloseDate?: string | null } = {}
  if ('deal_value' in properties) {
    const raw = properties.deal_value?.trim() ?? ''
    const amount = raw === '' ? null : Number(raw)
    if (amount === null) deal.dealValue = null
    else if (Number.isFinite(amount) && amount >= 0 && amount < 1e12) deal.dealValue = amount.toFixed(2)
  }
  if ('expected_close_date' in properties) {
    const raw = properties.expected_close_date?.trim() ?? ''
    const day = raw === '' ? null : closeDayOf(raw)
    if (day !== undefined) deal.expectedCloseDate = day
  }
  return deal
}

/** YYYY-MM-DD from a date, an ISO timestamp or epoch milliseconds (HubSpot's closedate), if it is a real day of 1900–2999. */
function closeDayOf(raw: string): string | null | undefined {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(raw)
    ? Date.parse(`${raw}T00:00:00Z`)
    : /^\d{10,}$/.test(raw)
      ? Number(raw)
      : Date.parse(raw)
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return undefined
  const day = new Date(ms).toISOString().slice(0, 10)
  if (/^\d{4}-\d{2}-\d{2}$/.test(raw) && day !== raw) return undefined // 2026-02-30
  return day >= '1900-01-01' && day <= '2999-12-31' ? day : undefined
}

async function customerOfContact(tx: Transaction, event: EventContext, state: ObjectState) {
  const company = state.properties.customer
  return company ? customerHoldingExternalId(tx, event.org_id, event.provider, company) : null
}

async function materializeContact(
  tx: Transaction,
  event: EventContext,
  externalId: string,
  state: Merged,
): Promise<string | null> {
  if (state.deleted_ms !== null) {
    if (state.local_id) await deleteContact(tx, event.org_id, state.local_id)
    return null
  }
  const customerId = await customerOfContact(tx, event, state)
  // A contact whose company we do not know yet waits in the sync state; the
  // company's arrival brings it in (materializeWaitingContacts).
  if (!customerId) return state.local_id
  const p = state.properties
  const fullName = [p.firstname, p.lastname].filter(Boolean).join(' ')
  const name =
    clean(p.name, 200) ?? clean(fullName, 200) ?? clean(p.email, 200) ?? `Contact ${externalId}`.slice(0, 200)
  const email = p.email && emailPattern.test(p.email.trim()) ? p.email.trim() : null
  const phone = p.phone && phonePattern.test(p.phone.trim()) ? p.phone.trim() : null
  const contact = { customerId, name, email, phone, role: clean(p.role, 100) }
  if (state.local_id) {
    const [updated] = await updateContacts(tx, event.org_id, [{ id: state.local_id, ...contact }])
    if (updated) return updated
  }
  const [created] = await createContacts(tx, event.org_id, [contact])
  if (!created) throw new Error('the new contact was not returned')
  return created
}

async function materializeWaitingContacts(tx: Transaction, event: EventContext, companyId: string) {
  const waiting = await lockWaitingContacts(tx, event.integration_id, companyId)
  for (const contact of waiting) {
    const localId = await materializeContact(tx, event, contact.external_id, {
      ...contact,
      changed: [],
      wasDeleted: false,
    })
    await setContactLocalId(tx, event.integration_id, contact.external_id, localId)
  }
}

async function recordTimeline(
  tx: Transaction,
  event: EventContext,
  change: CrmChange,
  state: Merged,
  customerId: string | null,
) {
  const what = change.kind === 'customer' ? 'company' : 'contact'
  const verb =
    state.deleted_ms !== null
      ? 'deleted'
      : state.wasDeleted || state.local_id === null
        ? 'created'
        : `updated (${state.changed.join(', ') || 'no fields'})`
  await recordCrmSync(tx, {
    orgId: event.org_id,
    customerId,
    description: `${providerLabels[event.provider]} ${what} ${change.externalId} ${verb}`.slice(0, 2000),
    occurredAtMs: change.occurredAt,
    payload: {
      integration_id: event.integration_id,
      provider: event.provider,
      event_id: event.event_id,
      kind: change.kind,
      external_id: change.externalId,
      action: change.action,
    },
  })
}
