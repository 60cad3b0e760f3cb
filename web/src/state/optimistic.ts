/**
 * An optimistic change to a list of records: shown at once, confirmed by the
 * server's answer (which replaces the guess, with its new version), or undone
 * exactly when the server refuses, leaving other changes made meanwhile alone.
 */
export interface Versioned {
  id: string
  version: string
}

/** Replaces the item with that id (or leaves the list as it is when absent). */
export const replaceById = <T extends { id: string }>(items: readonly T[], id: string, next: T): T[] =>
  items.map((item) => (item.id === id ? next : item))

/** The list with `patch` applied to one item; and how to undo only that. */
export function applyPatch<T extends Versioned>(
  items: readonly T[],
  id: string,
  patch: Partial<T>,
): { items: T[]; before: T | undefined } {
  const before = items.find((item) => item.id === id)
  if (!before) return { items: [...items], before }
  return { items: replaceById(items, id, { ...before, ...patch }), before }
}

/**
 * Undoes an optimistic patch: the item goes back to `before`, unless it has
 * changed since in a way the patch did not cause (a newer version from the
 * server or a live update): then that newer state stays.
 */
export function rollbackPatch<T extends Versioned>(items: readonly T[], before: T, patch: Partial<T>): T[] {
  return items.map((item) => {
    if (item.id !== before.id) return item
    if (item.version !== before.version) return item
    const untouched = Object.keys(patch).every((key) => item[key as keyof T] === patch[key as keyof T])
    return untouched ? before : item
  })
}

/**
 * The server's copy wins over an optimistic guess, and an older copy never
 * overwrites a newer one (an echo of our own change arriving late, say).
 */
export function mergeNewer<T extends Versioned>(items: readonly T[], incoming: T): T[] {
  return items.map((item) =>
    item.id === incoming.id && BigInt(incoming.version) >= BigInt(item.version) ? incoming : item,
  )
}
