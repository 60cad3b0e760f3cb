import type { ObjectState } from '../queries/integration-objects.ts'
import type { CrmChange } from './providers/types.ts'

/** An object's sync state after an event merged into it. */
export interface Merged extends ObjectState {
  /** Properties this event changed. */
  changed: string[]
  wasDeleted: boolean
}

/**
 * Merges one change into an object's sync state, property by property: a
 * property changed at the source later than this event keeps its value, so
 * out-of-order deliveries never go back in time. Undefined means the event
 * changes nothing (it is older than what is there).
 */
export function merge(state: ObjectState, change: CrmChange): Merged | undefined {
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
  for (const [name, value] of Object.entries(incomingProperties(state, change))) {
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

/** The change's properties; a removed link to a company clears `customer` only while it still names that company. */
function incomingProperties(state: ObjectState, change: CrmChange): Record<string, string | null> {
  if (change.dissociatedFrom === undefined || state.properties.customer !== change.dissociatedFrom)
    return change.properties
  return { ...change.properties, customer: null }
}
