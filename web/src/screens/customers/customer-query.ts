import { defaultCustomerSort } from '../../../../functions/domain/vocabulary.ts'
import type { Phase } from '../../api/types.ts'
import type { CustomerFilters } from '../../router/routes.ts'

/** Rows per request: small enough to stay fast with 100,000 customers, large enough to fill a screen. */
export const customersPageSize = 50

/**
 * The list request for a set of filters (and the next page's cursor). The
 * same filters always give the same path, so a cursor is only ever sent back
 * with the sort it came from (another sort is a 400).
 */
export function customersPath(
  org: string,
  filters: CustomerFilters,
  options: { cursor?: string | null; limit?: number } = {},
): string {
  const query = new URLSearchParams()
  query.set('limit', String(options.limit ?? customersPageSize))
  query.set('sort', filters.sort ?? defaultCustomerSort)
  if (filters.phase?.length) query.set('phase', filters.phase.join(','))
  if (filters.owner) query.set('owner_id', filters.owner)
  if (filters.q) query.set('q', filters.q)
  if (options.cursor) query.set('cursor', options.cursor)
  return `/orgs/${org}/customers?${query.toString().replaceAll('%2C', ',')}`
}

/** Only the filters (not the screen or org): what a list's identity depends on. */
export const filtersOf = (route: CustomerFilters): CustomerFilters => ({
  q: route.q,
  phase: route.phase,
  owner: route.owner,
  sort: route.sort,
})

/** A stable key for a set of filters, for effects and for telling stale answers apart. */
export const filtersKey = (f: CustomerFilters) =>
  JSON.stringify([f.q ?? '', [...(f.phase ?? [])].sort(), f.owner ?? '', f.sort ?? defaultCustomerSort])

export const hasFilters = (f: CustomerFilters) => Boolean(f.q || f.phase?.length || f.owner)

/** Toggles one phase in a multi-phase filter; none chosen means every phase. */
export function togglePhase(
  current: readonly Phase[] | undefined,
  phase: Phase,
  on: boolean,
): Phase[] | undefined {
  const set = new Set(current ?? [])
  if (on) set.add(phase)
  else set.delete(phase)
  return set.size === 0 ? undefined : [...set]
}
