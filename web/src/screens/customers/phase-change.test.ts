import { describe, expect, it } from 'vitest'
import { ApiError } from '../../api/api-error.ts'
import type { ApiClient } from '../../api/client.ts'
import type { Customer } from '../../api/types.ts'
import { savePhase } from './phase-change.ts'

const customer = {
  id: 'c1',
  org_id: 'o1',
  name: 'Acme',
  phase: 'lead',
  owner_id: null,
  external_ids: {},
  deal_value: null,
  expected_close_date: null,
  next_step: null,
  monthly_recurring_value: '0',
  value: '0',
  weighted_value: '0',
  phase_entered_at: '2026-01-01T00:00:00Z',
  days_in_phase: 0,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  version: '100',
} satisfies Customer

function fakeApi(patch: () => Promise<unknown>, get: () => Promise<unknown> = async () => customer) {
  const calls: { method: string; path: string; ifMatch?: string }[] = []
  const api = {
    patch: async (path: string, opts?: { ifMatch?: string }) => {
      calls.push({ method: 'PATCH', path, ifMatch: opts?.ifMatch })
      return patch()
    },
    get: async (path: string) => {
      calls.push({ method: 'GET', path })
      return get()
    },
  } as unknown as ApiClient
  return { api, calls }
}

describe('saving a phase change', () => {
  it('should send the version the person saw as If-Match and return the server copy', async () => {
    const saved = { ...customer, phase: 'won', version: '101' }
    const { api, calls } = fakeApi(async () => saved)
    expect(await savePhase(api, customer, 'won')).toEqual({ ok: true, customer: saved })
    expect(calls).toEqual([{ method: 'PATCH', path: '/customers/c1', ifMatch: '100' }])
  })

  it('should read the latest copy (without counts) when the change was stale', async () => {
    const stale = new ApiError(412, 'precondition_failed', 'stale')
    const latest = { ...customer, phase: 'proposal', version: '105', counts: { contacts: 1 } }
    const { api, calls } = fakeApi(
      async () => Promise.reject(stale),
      async () => latest,
    )
    const result = await savePhase(api, customer, 'won')
    expect(result).toEqual({
      ok: false,
      error: stale,
      latest: { ...customer, phase: 'proposal', version: '105' },
    })
    expect(calls.map((c) => c.method)).toEqual(['PATCH', 'GET'])
  })

  it('should not re-read after a refusal that is not about staleness', async () => {
    const forbidden = new ApiError(403, 'forbidden', 'no')
    const { api, calls } = fakeApi(async () => Promise.reject(forbidden))
    expect(await savePhase(api, customer, 'won')).toEqual({ ok: false, error: forbidden })
    expect(calls).toHaveLength(1)
  })
})
