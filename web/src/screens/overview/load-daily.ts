import { isApiError } from '../../api/api-error.ts'
import type { DailyMetrics } from '../../api/types.ts'
import { addDays } from '../../format/dates.ts'
import type { Range } from '../../router/routes.ts'
import { rangeDays } from './trend-series.ts'

type Get = <T>(path: string, options?: { signal?: AbortSignal }) => Promise<T>

/**
 * The daily figures of the last `range` days as the organization counts them.
 * Its today may differ from the browser's (another time zone): the answer
 * says which day it is there, and when that is not the day asked up to, the
 * range is asked again ending on the organization's today. Today's API
 * answers a future `to` with the days it has; should it refuse one (400), the
 * organization is behind the browser, so the day before is asked instead.
 */
export async function loadDaily(
  get: Get,
  org: string,
  range: Range,
  browserToday: string,
  signal?: AbortSignal,
): Promise<DailyMetrics> {
  const ask = (today: string) => {
    const { from, to } = rangeDays(range, today)
    return get<DailyMetrics>(`/orgs/${org}/metrics/daily?from=${from}&to=${to}`, { signal })
  }
  const first = await ask(browserToday).catch((error: unknown) => {
    if (isApiError(error) && error.status === 400) return ask(addDays(browserToday, -1))
    throw error
  })
  return first.today === first.to ? first : ask(first.today)
}
