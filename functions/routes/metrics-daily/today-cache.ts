import type { z } from '@hono/zod-openapi'
import type { Database } from '../../db/database.ts'
import type { DailyMetricsDay } from './metrics-daily.schemas.ts'

export type TodayRow = z.infer<typeof DailyMetricsDay>

/** How long a computed "today" is served before it is computed again. */
export const todayMaxAgeMs = 30_000

/**
 * Today's live row per organization, shared by every member for
 * `todayMaxAgeMs`. Computing it reads the whole day's timeline and the
 * organization's customers, services and processes (about 100-200 ms on the
 * 100k seed), and every member's trend charts ask for it on every load: the
 * range endpoint managed 10 requests/s. The row is the same for every member
 * (RLS shows members the whole organization), so it is shared by organization
 * and served only after the caller's own query found the organization
 * visible. Its `computed_at` says how old it is; past days come from
 * daily_metrics, not from here. Per database, so two apps in one process
 * (tests) never share one.
 */
export function todayCacheFor(db: Database, clock: () => Date) {
  const entries = caches.get(db) ?? new Map()
  caches.set(db, entries)
  return async function today(
    orgId: string,
    localDate: string,
    compute: () => Promise<TodayRow>,
  ): Promise<TodayRow> {
    const now = clock().getTime()
    const hit = entries.get(orgId)
    if (hit && hit.localDate === localDate && now - hit.computedAt < todayMaxAgeMs && now >= hit.computedAt)
      return hit.day
    const day = await compute()
    entries.set(orgId, { localDate, computedAt: now, day })
    return day
  }
}

const caches = new WeakMap<Database, Map<string, { localDate: string; computedAt: number; day: TodayRow }>>()
