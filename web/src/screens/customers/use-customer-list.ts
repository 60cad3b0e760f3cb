import { useCallback, useEffect, useRef, useState } from 'preact/hooks'
import type { Customer, Page } from '../../api/types.ts'
import { useServices } from '../../context.ts'
import type { CustomerFilters } from '../../router/routes.ts'
import { mergeNewer } from '../../state/optimistic.ts'
import { customersPath, filtersKey } from './customer-query.ts'
import { appendUnique } from './customer-rows.ts'

export interface CustomerListState {
  /** Which org and filters the rows belong to. */
  key: string
  rows: Customer[]
  /** The next page's cursor; null once the last page is loaded. */
  cursor: string | null
  /** The first page: while a new filter loads, the previous rows stay (dimmed) instead of a blank table. */
  status: 'loading' | 'ready' | 'error'
  error?: unknown
  more: 'idle' | 'loading' | 'error'
  moreError?: unknown
}

/**
 * The customers table's one list state: pages fetched 50 at a time with the
 * filters' cursor, merged without repeats. Changing filters aborts whatever is
 * still in flight for the old ones, so a slow stale answer never lands. Every
 * change to the rows (optimistic edits, creations, and later live updates via
 * `merge`) goes through here.
 */
export function useCustomerList(org: string, filters: CustomerFilters, resyncs = 0) {
  const { api } = useServices()
  const key = `${org}|${filtersKey(filters)}`
  const [state, setState] = useState<CustomerListState>(() => emptyList(key))
  const [generation, setGeneration] = useState(0)
  const current = useRef({ state, filters, controller: new AbortController(), loadingMore: false })
  current.current.state = state
  current.current.filters = filters

  useEffect(() => {
    const controller = new AbortController()
    current.current.controller = controller
    current.current.loadingMore = false
    setState((s) => ({ ...emptyList(key), rows: s.rows }))
    api.get<Page<Customer>>(customersPath(org, current.current.filters), { signal: controller.signal }).then(
      (page) => {
        if (controller.signal.aborted) return
        setState({ key, rows: page.data, cursor: page.next_cursor, status: 'ready', more: 'idle' })
      },
      (error: unknown) => {
        if (controller.signal.aborted) return
        setState((s) => ({ ...s, rows: [], status: 'error', error }))
      },
    )
    return () => controller.abort()
  }, [key, generation, resyncs])

  const loadMore = useCallback(() => {
    const { state: now, filters: f, controller } = current.current
    if (now.status !== 'ready' || !now.cursor || current.current.loadingMore) return
    current.current.loadingMore = true
    setState((s) => ({ ...s, more: 'loading', moreError: undefined }))
    api
      .get<Page<Customer>>(customersPath(org, f, { cursor: now.cursor }), { signal: controller.signal })
      .then(
        (page) => {
          if (controller.signal.aborted) return
          setState((s) =>
            s.key === now.key
              ? { ...s, rows: appendUnique(s.rows, page.data), cursor: page.next_cursor, more: 'idle' }
              : s,
          )
        },
        (moreError: unknown) => {
          if (!controller.signal.aborted) setState((s) => ({ ...s, more: 'error', moreError }))
        },
      )
      .finally(() => {
        if (current.current.controller === controller) current.current.loadingMore = false
      })
  }, [org])

  const reload = useCallback(() => setGeneration((g) => g + 1), [])
  const setRows = useCallback(
    (update: (rows: Customer[]) => Customer[]) => setState((s) => ({ ...s, rows: update(s.rows) })),
    [],
  )
  /** A changed record from elsewhere: the newer copy wins, rows not loaded stay unloaded. */
  const merge = useCallback((customer: Customer) => setRows((rows) => mergeNewer(rows, customer)), [setRows])

  return { ...state, loadMore, reload, setRows, merge }
}

const emptyList = (key: string): CustomerListState => ({
  key,
  rows: [],
  cursor: null,
  status: 'loading',
  more: 'idle',
})
