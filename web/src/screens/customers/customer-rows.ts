import type { Versioned } from '../../state/optimistic.ts'

/**
 * Merging pages into the loaded list. Keyset pages never repeat rows on their
 * own, but a row edited meanwhile (by anyone, or by us a moment ago) can move
 * to a later position and arrive again: the list keeps one row per id, the
 * newest version, where it was first shown (rows do not jump under the reader).
 */
export function appendUnique<T extends Versioned>(rows: readonly T[], page: readonly T[]): T[] {
  const index = new Map(rows.map((row, i) => [row.id, i]))
  const next = [...rows]
  for (const incoming of page) {
    const at = index.get(incoming.id)
    if (at === undefined) {
      index.set(incoming.id, next.length)
      next.push(incoming)
    } else if (isNewer(incoming, next[at] as T)) {
      next[at] = incoming
    }
  }
  return next
}

/** A just-created row goes on top (it is what the person is looking for), never twice. */
export function prependUnique<T extends Versioned>(rows: readonly T[], created: T): T[] {
  return [created, ...rows.filter((row) => row.id !== created.id)]
}

export const isNewer = (a: Versioned, b: Versioned) => BigInt(a.version) >= BigInt(b.version)
