/**
 * The records of one keyset-paged list as the screen holds them: pages are
 * appended without repeats, and single records (a create, an edit, a live
 * update) are merged in place, so every change to a list goes through here.
 */
export interface KeysetList<T extends { id: string }> {
  items: T[]
  /** The cursor of the next page; null when the last page is loaded. */
  cursor: string | null
}

export const emptyList = <T extends { id: string }>(): KeysetList<T> => ({ items: [], cursor: null })

/** A further page after the ones shown; rows already shown (moved by a write meanwhile) are not repeated. */
export function appendPage<T extends { id: string }>(
  list: KeysetList<T>,
  page: { data: T[]; next_cursor: string | null },
): KeysetList<T> {
  const seen = new Set(list.items.map((item) => item.id))
  return {
    items: [...list.items, ...page.data.filter((item) => !seen.has(item.id))],
    cursor: page.next_cursor,
  }
}

/** A record created here: shown first (where people look for it), once. */
export const prependItem = <T extends { id: string }>(list: KeysetList<T>, item: T): KeysetList<T> => ({
  ...list,
  items: [item, ...list.items.filter((other) => other.id !== item.id)],
})

/** A record created here, shown last (lists read oldest first, like a chat). */
export const appendItem = <T extends { id: string }>(list: KeysetList<T>, item: T): KeysetList<T> => ({
  ...list,
  items: [...list.items.filter((other) => other.id !== item.id), item],
})

export const removeItem = <T extends { id: string }>(list: KeysetList<T>, id: string): KeysetList<T> => ({
  ...list,
  items: list.items.filter((item) => item.id !== id),
})

/** The items, changed by `update` (e.g. optimistic.ts applyPatch, mergeNewer). */
export const mapItems = <T extends { id: string }>(
  list: KeysetList<T>,
  update: (items: T[]) => T[],
): KeysetList<T> => ({ ...list, items: update(list.items) })
