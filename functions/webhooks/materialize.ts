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
import { lockWaitingContacts, type ObjectState, setContactLocalId } from '../queries/integration-objects.ts'
import { recordCrmSync } from '../queries/timeline.ts'
import type { Merged } from './merge.ts'
import type { CrmChange, IntegrationMapping } from './providers/types.ts'

/**
 * Making our rows match a CRM object's merged sync state: the customer a
 * company is, the contact a contact is, and the timeline entry that says what
 * the integration changed. Used by apply.ts (companies, contacts) and
 * apply-deal.ts (a deal's money on its company's customer).
 */

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
export async function materializeCustomer(
  tx: Transaction,
  event: EventContext,
  externalId: string,
  state: ObjectState,
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

export async function customerOfContact(tx: Transaction, event: EventContext, state: ObjectState) {
  const company = state.properties.customer
  return company ? customerHoldingExternalId(tx, event.org_id, event.provider, company) : null
}

export async function materializeContact(
  tx: Transaction,
  event: EventContext,
  externalId: string,
  state: ObjectState,
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

export async function materializeWaitingContacts(tx: Transaction, event: EventContext, companyId: string) {
  const waiting = await lockWaitingContacts(tx, event.integration_id, companyId)
  for (const contact of waiting) {
    const localId = await materializeContact(tx, event, contact.external_id, contact)
    await setContactLocalId(tx, event.integration_id, contact.external_id, localId)
  }
}

export async function recordTimeline(
  tx: Transaction,
  event: EventContext,
  change: CrmChange,
  state: Merged,
  customerId: string | null,
) {
  const what = change.kind === 'customer' ? 'company' : change.kind
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
