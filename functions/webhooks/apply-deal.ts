import type { Transaction } from '../db/database.ts'
import { customerHoldingExternalId } from '../queries/customers.ts'
import {
  dealsOfCompany,
  lockCompanyChanges,
  lockObjectState,
  type ObjectState,
  saveObjectState,
} from '../queries/integration-objects.ts'
import {
  type ApplyOutcome,
  type EventContext,
  materializeCustomer,
  materializeWaitingContacts,
  recordTimeline,
} from './materialize.ts'
import { merge } from './merge.ts'
import type { CrmChange } from './providers/types.ts'

/**
 * A CRM deal is money for its company's customer. Its amount, close date and
 * company arrive in separate events (HubSpot links a deal to its company in a
 * deal.associationChange, never with the amount), so a deal keeps its own sync
 * state, merged like any object's, and its company's customer carries it:
 *
 * - the company's sync state names the deal it carries (`deal`) and when that
 *   deal last changed at the source (`deal_changed_ms`);
 * - a deal changed later than the carried one takes its place (one deal per
 *   customer: the latest changed); the carried deal's own changes always apply;
 * - a deal deleted at the source, or moved to another company, gives its
 *   customer's deal value and close date up (cleared), if it still carries it.
 *
 * A deal naming a company that has not arrived yet creates its customer, as a
 * contact's company does not (a contact waits): the money is worth showing.
 */
export async function applyDealChange(
  tx: Transaction,
  event: EventContext,
  change: CrmChange,
): Promise<ApplyOutcome> {
  const deal = { integrationId: event.integration_id, kind: 'deal' as const, externalId: change.externalId }
  const state = await lockObjectState(tx, event.org_id, deal)
  if (!state) throw new Error('the sync state row vanished')
  const merged = merge(state, change)
  if (!merged) return 'stale'

  const before = companyOf(state)
  const after = companyOf(merged)
  // Deal first (above), then its companies in one order: two deals moving
  // between the same two companies cannot wait on each other.
  for (const company of [before, after].filter(isCompany).sort())
    await lockCompanyChanges(tx, event.integration_id, company)
  const changedMs = Math.max(merged.deleted_ms ?? 0, changedMsOf(merged))

  let customerId: string | null = null
  if (before && before !== after) customerId = await giveUp(tx, event, before, change.externalId, changedMs)
  if (after) customerId = await carry(tx, event, after, change.externalId, merged, changedMs)
  await saveObjectState(tx, deal, {
    local_id: customerId,
    properties: merged.properties,
    changed_at: merged.changed_at,
    deleted_ms: merged.deleted_ms,
  })
  await recordTimeline(tx, event, change, merged, customerId)
  return 'applied'
}

/** The company a live deal belongs to; a deleted deal belongs to none. */
const companyOf = (state: ObjectState) =>
  state.deleted_ms === null ? (state.properties.customer ?? null) : null
const isCompany = (company: string | null): company is string => Boolean(company)

/** Makes the company's customer carry the deal, unless it carries another deal changed later. */
async function carry(
  tx: Transaction,
  event: EventContext,
  company: string,
  dealId: string,
  deal: ObjectState,
  changedMs: number,
): Promise<string | null> {
  const key = { integrationId: event.integration_id, kind: 'customer' as const, externalId: company }
  const state = await lockObjectState(tx, event.org_id, key)
  if (!state) throw new Error('the sync state row vanished')
  // A company deleted at the source has no customer to carry anything.
  if (state.deleted_ms !== null) return null
  const carried = state.properties.deal ?? null
  if (carried !== null && carried !== dealId && carriedMs(state) > changedMs)
    return customerHoldingExternalId(tx, event.org_id, event.provider, company)
  return settleCompany(tx, event, company, state, {
    deal: dealId,
    deal_value: deal.properties.deal_value ?? null,
    expected_close_date: deal.properties.expected_close_date ?? null,
    deal_changed_ms: String(Math.max(changedMs, carried === dealId ? carriedMs(state) : 0)),
  })
}

/**
 * The company's customer stops carrying this deal, if it still does: it
 * carries the company's latest changed other deal instead, or none (cleared).
 */
async function giveUp(
  tx: Transaction,
  event: EventContext,
  company: string,
  dealId: string,
  changedMs: number,
): Promise<string | null> {
  const key = { integrationId: event.integration_id, kind: 'customer' as const, externalId: company }
  const state = await lockObjectState(tx, event.org_id, key)
  if (!state) throw new Error('the sync state row vanished')
  if (state.deleted_ms !== null) return null
  if (state.properties.deal !== dealId)
    return customerHoldingExternalId(tx, event.org_id, event.provider, company)
  const next = latestChanged(await dealsOfCompany(tx, event.integration_id, company, dealId))
  return settleCompany(tx, event, company, state, {
    deal: next?.external_id ?? null,
    deal_value: next?.properties.deal_value ?? null,
    expected_close_date: next?.properties.expected_close_date ?? null,
    deal_changed_ms: String(next ? changedMsOf(next) : changedMs),
  })
}

const changedMsOf = (state: ObjectState) => Math.max(0, ...Object.values(state.changed_at))

function latestChanged<T extends ObjectState>(deals: T[]): T | undefined {
  return deals.reduce<T | undefined>(
    (latest, deal) => (!latest || changedMsOf(deal) > changedMsOf(latest) ? deal : latest),
    undefined,
  )
}

const carriedMs = (state: ObjectState) => Number(state.properties.deal_changed_ms ?? 0) || 0

/** Stores the company's new deal properties and makes its customer match (creating it for a company not seen yet). */
async function settleCompany(
  tx: Transaction,
  event: EventContext,
  company: string,
  state: ObjectState,
  dealProperties: Record<string, string | null>,
): Promise<string | null> {
  const next: ObjectState = { ...state, properties: { ...state.properties, ...dealProperties } }
  const localId = await materializeCustomer(tx, event, company, next)
  await saveObjectState(
    tx,
    { integrationId: event.integration_id, kind: 'customer', externalId: company },
    { ...next, local_id: localId },
  )
  if (localId && state.local_id === null) await materializeWaitingContacts(tx, event, company)
  return localId
}
