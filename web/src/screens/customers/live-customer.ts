import { customerPhases } from '../../../../functions/domain/vocabulary.ts'
import type { Customer } from '../../api/types.ts'
import type { RowChange } from '../../realtime/changes.ts'
import { versionOf } from '../../realtime/version.ts'

/** A broadcast about a customer (docs/realtime.md), as opposed to its contacts, processes… */
export const isCustomerChange = (change: RowChange) => change.table === 'customers'

/**
 * A loaded customer with a live UPDATE applied: the broadcast carries only
 * the changed columns, the owner and the new `updated_at` (its version).
 * Undefined when it is not newer than what is shown (an echo of our own
 * change, or an old message arriving late), so nothing is applied twice.
 */
export function applyLiveUpdate(current: Customer, change: RowChange): Customer | undefined {
  if (change.op !== 'UPDATE' || change.id !== current.id || !change.updated_at) return undefined
  let version: string
  try {
    version = versionOf(change.updated_at)
  } catch {
    return undefined
  }
  if (BigInt(version) <= BigInt(current.version)) return undefined
  const { name, phase } = change.record
  return {
    ...current,
    name: typeof name === 'string' ? name : current.name,
    phase: (customerPhases as readonly unknown[]).includes(phase)
      ? (phase as Customer['phase'])
      : current.phase,
    owner_id: change.owner_id !== undefined ? change.owner_id : current.owner_id,
    updated_at: change.updated_at,
    version,
  }
}

/** Live changes to a loaded list: updates applied in place, deletions removed; new rows wait for a reload. */
export function applyLiveChange(rows: Customer[], change: RowChange): Customer[] {
  if (!isCustomerChange(change)) return rows
  if (change.op === 'DELETE') {
    const next = rows.filter((row) => row.id !== change.id)
    return next.length === rows.length ? rows : next
  }
  if (change.op !== 'UPDATE') return rows
  const at = rows.findIndex((row) => row.id === change.id)
  const updated = at >= 0 ? applyLiveUpdate(rows[at] as Customer, change) : undefined
  if (!updated) return rows
  const next = [...rows]
  next[at] = updated
  return next
}
