import { useEffect, useRef } from 'preact/hooks'
import type { RowChange } from '../../realtime/changes.ts'
import { useLiveChanges } from '../../realtime/live-context.ts'

/**
 * The tables whose changes move an overview figure: customers (phase, value,
 * close date: counts and money), services (hours, rates), processes, and the
 * timeline (latest events, wins and losses). Organizations and phase settings
 * (currency, rates, probabilities) broadcast nothing; a reload shows them.
 */
const overviewTables = new Set(['customers', 'processes', 'services', 'timeline_events'])

/** Changes often come in bursts (an import, a bulk move): one refresh after the burst, not one per row. */
const settleMs = 1500

export const movesOverview = (change: RowChange) => overviewTables.has(change.table)

/**
 * Refreshes the overview's figures when the organization's data changes
 * elsewhere (Realtime broadcast), once per burst of changes. The figures are
 * aggregates, so they are fetched again rather than patched from the event.
 */
export function useLiveRefresh(refresh: () => void): void {
  const timer = useRef<ReturnType<typeof setTimeout>>()
  const latest = useRef(refresh)
  latest.current = refresh
  useLiveChanges((change) => {
    if (!movesOverview(change)) return
    clearTimeout(timer.current)
    timer.current = setTimeout(() => latest.current(), settleMs)
  })
  useEffect(() => () => clearTimeout(timer.current), [])
}
