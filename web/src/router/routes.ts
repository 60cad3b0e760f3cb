import { customerPhases, customerSorts } from '../../../functions/domain/vocabulary.ts'
import type { CustomerSort, Phase } from '../api/types.ts'

/**
 * Every screen and filter has a URL (the part after #), so deep links, reloads
 * and the back button work on any static host without server rewrites.
 */
export type CustomerTab = 'contacts' | 'teams' | 'processes' | 'services' | 'documents' | 'timeline'
export const customerTabs: readonly CustomerTab[] = [
  'contacts',
  'teams',
  'processes',
  'services',
  'documents',
  'timeline',
]
export type Range = 30 | 90 | 365
export const ranges: readonly Range[] = [30, 90, 365]

export interface CustomerFilters {
  q?: string
  phase?: Phase[]
  owner?: string
  sort?: CustomerSort
}

export type Route =
  | { name: 'home' }
  | { name: 'sign-in'; next?: string }
  | { name: 'overview'; org: string; range: Range }
  | ({ name: 'customers'; org: string } & CustomerFilters)
  | { name: 'pipeline'; org: string; owner?: string }
  | { name: 'customer'; org: string; id: string; tab: CustomerTab }
  | { name: 'chat'; org: string; session?: string }
  | { name: 'not-found'; path: string }

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** `#/orgs/<org>/customers?q=acme&phase=lead,won` → a Route. Unknown values are dropped, not trusted. */
export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/'
  const [pathPart = '/', queryPart = ''] = raw.split('?', 2) as [string, string?]
  const query = new URLSearchParams(queryPart)
  const parts = pathPart.split('/').filter(Boolean).map(decodeURIComponent)
  const notFound: Route = { name: 'not-found', path: pathPart }
  if (parts.length === 0) return { name: 'home' }
  if (parts[0] === 'sign-in' && parts.length === 1) {
    const next = query.get('next')
    // Only a path inside the app: an open redirect to another site must not be possible.
    return next?.startsWith('/') && !next.startsWith('//') ? { name: 'sign-in', next } : { name: 'sign-in' }
  }
  if (parts[0] !== 'orgs' || !parts[1] || !uuid.test(parts[1])) return notFound
  const org = parts[1].toLowerCase()
  const [, , screen, id, tab] = parts
  switch (screen) {
    case 'overview': {
      if (parts.length !== 3) return notFound
      const range = Number(query.get('range'))
      return { name: 'overview', org, range: (ranges as number[]).includes(range) ? (range as Range) : 30 }
    }
    case 'customers': {
      if (parts.length === 3) return { name: 'customers', org, ...parseFilters(query) }
      if (!id || !uuid.test(id) || parts.length > 5) return notFound
      const chosen = (customerTabs as string[]).includes(tab ?? '') ? (tab as CustomerTab) : 'contacts'
      if (tab !== undefined && chosen !== tab) return notFound
      return { name: 'customer', org, id: id.toLowerCase(), tab: chosen }
    }
    case 'pipeline': {
      if (parts.length !== 3) return notFound
      const owner = query.get('owner')
      return owner && uuid.test(owner) ? { name: 'pipeline', org, owner } : { name: 'pipeline', org }
    }
    case 'chat':
      if (parts.length === 3) return { name: 'chat', org }
      if (parts.length === 4 && id && uuid.test(id)) return { name: 'chat', org, session: id.toLowerCase() }
      return notFound
    default:
      return notFound
  }
}

function parseFilters(query: URLSearchParams): CustomerFilters {
  const filters: CustomerFilters = {}
  const q = query.get('q')?.trim()
  if (q) filters.q = q.slice(0, 100)
  const phase = (query.get('phase') ?? '')
    .split(',')
    .filter((p): p is Phase => (customerPhases as readonly string[]).includes(p))
  if (phase.length > 0) filters.phase = [...new Set(phase)]
  const owner = query.get('owner')
  if (owner && uuid.test(owner)) filters.owner = owner
  const sort = query.get('sort')
  if (sort && (customerSorts as readonly string[]).includes(sort)) filters.sort = sort as CustomerSort
  return filters
}

/** A Route → the hash that shows it (`#/…`). parseRoute(formatRoute(r)) gives r back. */
export function formatRoute(route: Route): string {
  const withQuery = (path: string, entries: [string, string | undefined][]) => {
    const query = new URLSearchParams()
    for (const [key, value] of entries) if (value) query.set(key, value)
    const text = query.toString().replaceAll('%2C', ',').replaceAll('%2F', '/')
    return `#${path}${text ? `?${text}` : ''}`
  }
  switch (route.name) {
    case 'home':
      return '#/'
    case 'sign-in':
      return withQuery('/sign-in', [['next', route.next]])
    case 'overview':
      return withQuery(`/orgs/${route.org}/overview`, [
        ['range', route.range === 30 ? undefined : String(route.range)],
      ])
    case 'customers':
      return withQuery(`/orgs/${route.org}/customers`, [
        ['q', route.q],
        ['phase', route.phase?.join(',')],
        ['owner', route.owner],
        ['sort', route.sort],
      ])
    case 'pipeline':
      return withQuery(`/orgs/${route.org}/pipeline`, [['owner', route.owner]])
    case 'customer':
      return `#/orgs/${route.org}/customers/${route.id}/${route.tab}`
    case 'chat':
      return `#/orgs/${route.org}/chat${route.session ? `/${route.session}` : ''}`
    case 'not-found':
      return `#${route.path}`
  }
}

/** The organization a route is about, if any. */
export const routeOrg = (route: Route): string | undefined => ('org' in route ? route.org : undefined)
