import type { Member, Page } from '../api/types.ts'
import { useServices } from '../context.ts'
import { useAsync } from './use-async.ts'

/** Members per organization, fetched once per page load: names for owner columns and filters. */
const cache = new Map<string, Promise<Member[]>>()

async function loadAll(get: <T>(path: string) => Promise<T>, org: string): Promise<Member[]> {
  const members: Member[] = []
  let cursor: string | null = null
  do {
    const query: string = cursor ? `?limit=100&cursor=${encodeURIComponent(cursor)}` : '?limit=100'
    const page: Page<Member> = await get<Page<Member>>(`/orgs/${org}/members${query}`)
    members.push(...page.data)
    cursor = page.next_cursor
  } while (cursor)
  return members
}

/** The organization's members (all pages), shared by every screen that names people. */
export function useMembers(org: string) {
  const { api } = useServices()
  return useAsync(() => {
    let pending = cache.get(org)
    if (!pending) {
      pending = loadAll((path) => api.get(path), org)
      cache.set(org, pending)
      pending.catch(() => cache.delete(org))
    }
    return pending
  }, [org])
}

/** A member's name for display; someone no longer in the organization is "Former member". */
export function memberName(members: readonly Member[] | undefined, userId: string | null): string {
  if (!userId) return 'Unassigned'
  return members?.find((m) => m.user_id === userId)?.display_name ?? 'Former member'
}
