import { useLiveChanges } from '../../realtime/live-context.ts'
import { mergeLiveUpdate } from '../../realtime/live-merge.ts'
import { mapItems, prependItem, removeItem } from '../../state/keyset-list.ts'
import type { KeysetListState } from '../../state/use-keyset-list.ts'

type Live = { id: string; version: string; updated_at: string }

/**
 * Keeps a customer's list of one kind current with the organization's live
 * changes: a new record is read once and shown first, an update merged when
 * newer, a delete removed. Our own changes arrive too and change nothing.
 */
export function useLiveList<T extends Live>(
  table: string,
  customerId: string,
  list: KeysetListState<T>,
  readOne: (id: string) => Promise<T>,
) {
  useLiveChanges((change) => {
    if (change.table !== table || change.customer_id !== customerId) return
    if (change.op === 'DELETE') return list.update((l) => removeItem(l, change.id))
    if (change.op === 'UPDATE')
      return list.update((l) => mapItems(l, (items) => mergeLiveUpdate(items, change)))
    if (list.list?.items.some((item) => item.id === change.id)) return
    readOne(change.id).then(
      (record) => list.update((l) => prependItem(l, record)),
      () => undefined, // Gone again, or not ours to see: nothing to show.
    )
  })
}
