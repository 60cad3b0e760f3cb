import { describe, expect, it } from 'vitest'
import type { Database } from '../../db/database.ts'
import { type TodayRow, todayCacheFor, todayMaxAgeMs } from './today-cache.ts'

const dayNumber = (n: number) => ({ day: '2026-03-10', new_customers: n }) as unknown as TodayRow

function setup(db: Database = {} as Database) {
  let now = Date.UTC(2026, 2, 10, 12)
  let computed = 0
  const today = todayCacheFor(db, () => new Date(now))
  const compute = async () => dayNumber(++computed)
  return { today, compute, advance: (ms: number) => (now += ms), computed: () => computed }
}

describe('todayCacheFor', () => {
  it('should compute an organization’s today once for every caller within the maximum age, then again', async () => {
    const { today, compute, advance, computed } = setup()
    expect(await today('org-a', '2026-03-10', compute)).toEqual(dayNumber(1))
    advance(todayMaxAgeMs - 1)
    expect(await today('org-a', '2026-03-10', compute)).toEqual(dayNumber(1))
    advance(1)
    expect(await today('org-a', '2026-03-10', compute)).toEqual(dayNumber(2))
    expect(computed()).toBe(2)
  })

  it('should keep organizations apart, and compute again when the local date has changed', async () => {
    const { today, compute, computed } = setup()
    await today('org-a', '2026-03-10', compute)
    expect(await today('org-b', '2026-03-10', compute)).toEqual(dayNumber(2))
    expect(await today('org-a', '2026-03-11', compute)).toEqual(dayNumber(3))
    expect(computed()).toBe(3)
  })

  it('should never share between two databases, and never serve a row computed in the clock’s future', async () => {
    const first = setup({} as Database)
    const second = setup({} as Database)
    await first.today('org-a', '2026-03-10', first.compute)
    expect(await second.today('org-a', '2026-03-10', second.compute)).toEqual(dayNumber(1))
    expect(second.computed()).toBe(1)
    first.advance(-1_000)
    expect(await first.today('org-a', '2026-03-10', first.compute)).toEqual(dayNumber(2))
  })
})
