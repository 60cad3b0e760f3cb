import type { RowChange } from './changes.ts'
import { isNewer, versionOf } from './version.ts'

/**
 * A broadcast UPDATE (docs/realtime.md) applied to records on screen: only
 * the changed, published columns, and only when newer than what is shown, so
 * the echo of our own change (or an older message arriving late) is a no-op.
 */
export function mergeLiveUpdate<T extends { id: string; version: string; updated_at: string }>(
  items: readonly T[],
  change: RowChange,
): T[] {
  return items.map((item) => (item.id === change.id ? mergeLiveRecord(item, change) : item))
}

export function mergeLiveRecord<T extends { id: string; version: string; updated_at: string }>(
  item: T,
  change: RowChange,
): T {
  if (change.op !== 'UPDATE' || !change.updated_at) return item
  const version = versionOf(change.updated_at)
  // Only a newer version applies: the echo of our own change, or an old message, changes nothing.
  if (!isNewer(version, item.version)) return item
  return { ...item, ...change.record, updated_at: change.updated_at, version }
}
