import { beforeAll, describe, expect, it } from 'vitest'
import { failingFields, useApiFixture } from '../../../tests/support/use-api-fixture.ts'

/** An organization's money settings and phase settings (issue 19): members read, admins and owners change. */
describe('organization settings API', () => {
  const api = useApiFixture()
  let { t, f, request, tokens } = api
  beforeAll(() => {
    ;({ t, f, request, tokens } = api)
  })

  it('should show a member the settings and their own role, and 404 to anyone else', async () => {
    const res = await request('GET', `/orgs/${f.orgA}`, { token: tokens.viewer })
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({
      id: f.orgA,
      currency: 'EUR',
      default_hourly_rate: '0.00',
      role: 'viewer',
    })
    for (const who of ['outsider', 'stranger'] as const)
      expect((await request('GET', `/orgs/${f.orgA}`, { token: tokens[who] })).status, who).toBe(404)
  })

  it('should let an admin change currency and default rate, and the values follow', async () => {
    const res = await request('PATCH', `/orgs/${f.orgA}`, {
      token: tokens.admin,
      body: { currency: 'CHF', default_hourly_rate: '120.50' },
    })
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({ currency: 'CHF', default_hourly_rate: '120.50', role: 'admin' })
    const figures = await request('GET', `/orgs/${f.orgA}/metrics/sales`, { token: tokens.viewer })
    expect(figures.json.currency).toBe('CHF')
  })

  it('should refuse a manager (403) and an outsider (404), changing nothing', async () => {
    const organization = () =>
      t.db.query<Record<string, unknown>>('select * from public.organizations where id = $1', [f.orgA])
    const before = await organization()
    expect(before).toHaveLength(1)
    expect(before[0]?.currency).not.toBe('USD')
    const manager = await request('PATCH', `/orgs/${f.orgA}`, {
      token: tokens.manager,
      body: { currency: 'USD' },
    })
    expect(manager.status).toBe(403)
    const outsider = await request('PATCH', `/orgs/${f.orgA}`, {
      token: tokens.outsider,
      body: { currency: 'USD' },
    })
    expect(outsider.status).toBe(404)
    expect(await organization()).toEqual(before)
  })

  it('should refuse an unknown currency, a rate out of shape and unknown fields with the failing fields', async () => {
    const res = await request('PATCH', `/orgs/${f.orgA}`, {
      token: tokens.admin,
      body: { currency: 'XYZ', default_hourly_rate: '-1', plan: 'gold' },
    })
    expect(res.status).toBe(400)
    expect(failingFields(res)).toEqual(['body.currency', 'body.default_hourly_rate', 'body.plan'])
    const empty = await request('PATCH', `/orgs/${f.orgA}`, { token: tokens.admin, body: {} })
    expect(empty.status).toBe(400)
  })

  it('should list every phase’s settings in pipeline order, probabilities only on open phases', async () => {
    const res = await request('GET', `/orgs/${f.orgA}/phase-settings`, { token: tokens.viewer })
    expect(res.status).toBe(200)
    expect(res.json.data.slice(0, 4)).toEqual([
      { phase: 'lead', probability: 10, stuck_after_days: 30 },
      { phase: 'qualified', probability: 25, stuck_after_days: 21 },
      { phase: 'proposal', probability: 50, stuck_after_days: 21 },
      { phase: 'negotiation', probability: 75, stuck_after_days: 14 },
    ])
    expect(res.json.data).toHaveLength(9)
    expect(res.json.data.find((p: { phase: string }) => p.phase === 'won').probability).toBeNull()
    expect((await request('GET', `/orgs/${f.orgA}/phase-settings`, { token: tokens.outsider })).status).toBe(
      404,
    )
  })

  it('should let an owner change a probability and a threshold, and refuse a probability on a closed phase (422)', async () => {
    const res = await request('PATCH', `/orgs/${f.orgA}/phase-settings/proposal`, {
      token: tokens.owner,
      body: { probability: 60, stuck_after_days: 10 },
    })
    expect(res.status).toBe(200)
    expect(res.json).toEqual({ phase: 'proposal', probability: 60, stuck_after_days: 10 })
    const closed = await request('PATCH', `/orgs/${f.orgA}/phase-settings/won`, {
      token: tokens.owner,
      body: { probability: 90 },
    })
    expect(closed.status).toBe(422)
    const rep = await request('PATCH', `/orgs/${f.orgA}/phase-settings/lead`, {
      token: tokens.rep,
      body: { probability: 99 },
    })
    expect(rep.status).toBe(403)
    const badPhase = await request('PATCH', `/orgs/${f.orgA}/phase-settings/maybe`, {
      token: tokens.owner,
      body: { probability: 5 },
    })
    expect(badPhase.status).toBe(400)
    const [lead] = await t.db.query<{ probability: number }>(
      `select probability from public.phase_settings where org_id = $1 and phase = 'lead'`,
      [f.orgA],
    )
    expect(lead?.probability).toBe(10)
  })
})
