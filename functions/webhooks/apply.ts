import type { Transaction } from '../db/database.ts'
import {
  companyOfKnownContact,
  lockCompanyChanges,
  lockObjectState,
  saveObjectState,
} from '../queries/integration-objects.ts'
import { applyDealChange } from './apply-deal.ts'
import {
  type ApplyOutcome,
  customerOfContact,
  type EventContext,
  materializeContact,
  materializeCustomer,
  materializeWaitingContacts,
  recordTimeline,
} from './materialize.ts'
import { merge } from './merge.ts'
import type { CrmChange } from './providers/types.ts'

/**
 * Applies one change, in the caller's service-role transaction: merges it into
 * the object's sync state property by property (a property changed at the
 * source later than this event keeps its value: out-of-order deliveries never
 * go back in time), then makes the customer or contact match that state (a
 * deal: its company's customer, apply-deal.ts) and records the change in the
 * timeline as the integration's.
 */
export function applyChange(tx: Transaction, event: EventContext, change: CrmChange): Promise<ApplyOutcome> {
  return change.kind === 'deal' ? applyDealChange(tx, event, change) : applyObjectChange(tx, event, change)
}

async function applyObjectChange(tx: Transaction, event: EventContext, change: CrmChange) {
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
