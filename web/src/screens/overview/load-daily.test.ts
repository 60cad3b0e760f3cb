import { describe, expect, it } from 'vitest'
import { ApiError } from '../../api/api-error.ts'
import type { DailyMetrics } from '../../api/types.ts'
import { loadDaily } from './load-daily.ts'

/** A fake API whose organization is on `orgToday`: answers the range it is asked with that today. */
function fakeApi(orgToday: string, options: { refuseFuture?: boolean } = {}) {
  const paths: string[] = []
  const get = async <T>(path: string): Promise<T> => {
    paths.push(path)
    const query = new URLSearchParams(path.split('?')[1])
    if (options.refuseFuture && (query.get('to') as string) > orgToday)
      throw new ApiError(400, 'validation_failed', 'to is in the future')
    const answer: DailyMetrics = {
      org_id: 'org',
      time_zone: 'Pacific/Kiritimati',
      today: orgToday,
      from: query.get('from') as string,
      to: query.get('to') as string,
      days: [],
    }
    return answer as T
  }
  return { get, paths }
}

describe('loading the daily figures', () => {
  it('should ask once when the organization and the browser agree on the day', async () => {
    const api = fakeApi('2026-03-05')
    const daily = await loadDaily(api.get, 'org', 30, '2026-03-05')
    expect(api.paths).toEqual(['/orgs/org/metrics/daily?from=2026-02-04&to=2026-03-05'])
    expect(daily.to).toBe('2026-03-05')
  })

  it("should ask again ending on the organization's today when its zone is a day ahead or behind", async () => {
    const ahead = fakeApi('2026-03-06')
    expect((await loadDaily(ahead.get, 'org', 90, '2026-03-05')).to).toBe('2026-03-06')
    expect(ahead.paths[1]).toBe('/orgs/org/metrics/daily?from=2025-12-07&to=2026-03-06')
    const behind = fakeApi('2026-03-04')
    expect((await loadDaily(behind.get, 'org', 365, '2026-03-05')).from).toBe('2025-03-05')
    expect(behind.paths).toHaveLength(2)
  })

  it('should ask up to the day before when the API refuses the browser’s today as the future', async () => {
    const api = fakeApi('2026-03-04', { refuseFuture: true })
    const daily = await loadDaily(api.get, 'org', 30, '2026-03-05')
    expect(daily.to).toBe('2026-03-04')
    expect(api.paths).toEqual([
      '/orgs/org/metrics/daily?from=2026-02-04&to=2026-03-05',
      '/orgs/org/metrics/daily?from=2026-02-03&to=2026-03-04',
    ])
  })

  it('should pass on any other failure', async () => {
    const get = async <T>(): Promise<T> => {
      throw new ApiError(503, 'unavailable', 'busy')
    }
    await expect(loadDaily(get, 'org', 30, '2026-03-05')).rejects.toMatchObject({ status: 503 })
  })
})
