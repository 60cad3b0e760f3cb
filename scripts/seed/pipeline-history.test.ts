import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { phaseOutcomes } from '../../functions/domain/vocabulary.ts'
import { createTestDatabase, type TestDatabase } from '../../tests/support/test-database.ts'
import { seedDatabase } from './load.ts'
import { backfillDemoHistory, estimateDemoPipelineHistory } from './pipeline-history.ts'

interface PhaseEvent {
  org_id: string
  customer_id: string
  day: string
  occurred_at: string
  phase: keyof typeof phaseOutcomes
}

const cents = (amount: string) => Math.round(Number(amount) * 100)

/**
 * The pipeline at a day's end, replayed forwards in TypeScript: each
 * customer's last phase event on or before the day decides where it was,
 * counted at today's value; the weighted forecast rounds each phase's sum.
 */
function replayPipeline(
  events: PhaseEvent[],
  values: Map<string, number>,
  probabilities: Map<string, number>,
  orgId: string,
  day: string,
): { pipeline: number; weighted: number } {
  const phaseOf = new Map<string, PhaseEvent['phase']>()
  const ordered = events
    .filter((e) => e.org_id === orgId && e.day <= day)
    .sort((a, b) => a.occurred_at.localeCompare(b.occurred_at))
  for (const event of ordered) phaseOf.set(event.customer_id, event.phase)
  const byPhase = new Map<string, number>()
  for (const [customer, phase] of phaseOf) {
    if (phaseOutcomes[phase] !== 'open' || !values.has(customer)) continue
    byPhase.set(phase, (byPhase.get(phase) ?? 0) + (values.get(customer) as number))
  }
  let pipeline = 0
  let weighted = 0
  for (const [phase, sum] of byPhase) {
    pipeline += sum
    weighted += Math.round((sum * (probabilities.get(`${orgId}:${phase}`) as number)) / 100)
  }
  return { pipeline, weighted }
}

describe('the demo pipeline history', () => {
  let t: TestDatabase
  const now = new Date()
  beforeAll(async () => {
    t = await createTestDatabase()
    await seedDatabase(t.db, { customers: 120 })
    await backfillDemoHistory(t.db, now)
  })
  afterAll(() => t.close())

  it('should estimate every backfilled day as a forward replay of the timeline at today’s values does', async () => {
    const events = await t.db.query<PhaseEvent>(`
      select e.org_id, e.customer_id, to_char((e.occurred_at at time zone o.time_zone)::date, 'YYYY-MM-DD') as day,
             to_char(e.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') as occurred_at,
             case e.type when 'customer_created' then e.payload ->> 'phase' else e.payload ->> 'new_phase' end as phase
      from public.timeline_events e join public.organizations o on o.id = e.org_id
      where e.type in ('customer_created', 'phase_changed') and e.customer_id is not null`)
    const values = new Map(
      (
        await t.db.query<{ id: string; value: string }>(
          'select id, value::text as value from public.customer_values',
        )
      ).map((r) => [r.id, cents(r.value)]),
    )
    const probabilities = new Map(
      (
        await t.db.query<{ org_id: string; phase: string; probability: number | null }>(
          'select org_id, phase::text as phase, probability from public.phase_settings',
        )
      ).map((r) => [`${r.org_id}:${r.phase}`, r.probability ?? 0]),
    )
    const days = await t.db.query<{
      org_id: string
      day: string
      pipeline_value: string
      weighted_forecast: string
    }>(`
      select org_id, to_char(day, 'YYYY-MM-DD') as day, pipeline_value::text, weighted_forecast::text
      from public.daily_metrics order by org_id, day`)
    expect(days.length).toBeGreaterThan(3 * 170)
    // Every day has an estimate, the oldest ones included.
    expect(days.filter((d) => d.pipeline_value === null)).toEqual([])
    const sample = days.filter((_, i) => i % 17 === 0)
    for (const d of sample) {
      const replayed = replayPipeline(events, values, probabilities, d.org_id, d.day)
      expect({ day: d.day, pipeline: cents(d.pipeline_value), weighted: cents(d.weighted_forecast) }).toEqual(
        {
          day: d.day,
          ...replayed,
        },
      )
    }
    // The history has something to say: the pipeline was not the same all along.
    expect(new Set(days.map((d) => d.pipeline_value)).size).toBeGreaterThan(10)
  })

  it('should keep a day that already holds a snapshot, and estimate nothing twice', async () => {
    const [day] = await t.db.query<{ org_id: string; day: string }>(
      `update public.daily_metrics set pipeline_value = 12345.67, weighted_forecast = 890.12
       where (org_id, day) = (select org_id, max(day) from public.daily_metrics group by org_id order by org_id limit 1)
       returning org_id, to_char(day, 'YYYY-MM-DD') as day`,
    )
    expect(await estimateDemoPipelineHistory(t.db)).toBe(0)
    const [kept] = await t.db.query<{ pipeline_value: string; weighted_forecast: string }>(
      `select pipeline_value::text, weighted_forecast::text from public.daily_metrics where org_id = $1 and day = $2`,
      [day?.org_id, day?.day],
    )
    expect(kept).toEqual({ pipeline_value: '12345.67', weighted_forecast: '890.12' })
  })
})
