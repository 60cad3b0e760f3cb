/**
 * Knows when every chart expected on a screen has drawn, whatever order the
 * data and the charts arrive in: `expect` may come before or after the
 * `drawn` calls. `onAllDrawn` runs at most once per tracker.
 */
export interface DrawnTracker {
  /** The charts the screen shows now (ids); replaces any earlier expectation. */
  expect(ids: readonly string[]): void
  drawn(id: string): void
}

export function createDrawnTracker(onAllDrawn: () => void): DrawnTracker {
  const seen = new Set<string>()
  let expected: readonly string[] | undefined
  let done = false
  const check = () => {
    if (done || !expected || !expected.every((id) => seen.has(id))) return
    done = true
    onAllDrawn()
  }
  return {
    expect(ids) {
      expected = ids
      check()
    },
    drawn(id) {
      seen.add(id)
      check()
    },
  }
}

const marked = new Set<string>()

/** A performance mark set once per page load (the first time only), e.g. for the browser test's timing. */
export function markOnce(name: string): void {
  if (marked.has(name) || typeof performance === 'undefined') return
  marked.add(name)
  performance.mark(name)
}
