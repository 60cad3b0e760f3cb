import { beforeAll, describe, expect, it } from 'vitest'
import { failingFields, useApiFixture } from '../../../tests/support/use-api-fixture.ts'

describe('activities API', () => {
  const api = useApiFixture()
  // Set once the fixture's beforeAll has run (hooks run in the order they are registered).
  let { t, f, request, tokens } = api
  beforeAll(() => {
    ;({ t, f, request, tokens } = api)
  })
  const path = (customerId = f.customers.repOwned) => `/customers/${customerId}/activities`

  it('should log a call in the caller’s name and write the customer’s timeline', async () => {
    const res = await request('POST', path(), {
      token: tokens.rep,
      body: {
        kind: 'call',
        outcome: 'left_message',
        summary: 'About the renewal',
        occurred_at: '2026-01-05T10:00:00Z',
      },
    })
    expect(res.status).toBe(201)
    expect(res.json).toMatchObject({
      org_id: f.orgA,
      customer_id: f.customers.repOwned,
      kind: 'call',
      outcome: 'left_message',
      summary: 'About the renewal',
      occurred_at: '2026-01-05T10:00:00.000Z',
      actor_id: f.users.rep.id,
    })
    const [event] = await t.db.query<{ description: string; actor_id: string; occurred_at: Date }>(
      `select description, actor_id, occurred_at from public.timeline_events
       where type = 'activity_logged' and payload->>'activity_id' = $1`,
      [res.json.id],
    )
    expect(event).toMatchObject({
      description: 'Call: left message — About the renewal',
      actor_id: f.users.rep.id,
    })
    expect(new Date(event?.occurred_at ?? 0).toISOString()).toBe('2026-01-05T10:00:00.000Z')
  })

  it('should date an activity now when the client names no time, and refuse one in the future (422)', async () => {
    const before = Date.now()
    const now = await request('POST', path(), {
      token: tokens.manager,
      body: { kind: 'email', outcome: 'completed' },
    })
    expect(now.status).toBe(201)
    expect(Date.parse(now.json.occurred_at)).toBeGreaterThanOrEqual(before - 1000)
    expect(now.json.summary).toBeNull()
    const future = await request('POST', path(), {
      token: tokens.manager,
      body: {
        kind: 'meeting',
        outcome: 'completed',
        occurred_at: new Date(Date.now() + 3_600_000).toISOString(),
      },
    })
    expect(future.status).toBe(422)
    expect(future.json.code).toBe('constraint_violation')
  })

  it('should let whoever may edit the customer log, refuse a viewer and another rep, hide another tenant’s', async () => {
    const body = { kind: 'meeting', outcome: 'follow_up' }
    expect((await request('POST', path(), { token: tokens.viewer, body })).status).toBe(403)
    expect((await request('POST', path(), { token: tokens.rep2, body })).status).toBe(403)
    expect((await request('POST', path(f.customers.orgB), { token: tokens.manager, body })).status).toBe(404)
    expect((await request('GET', path(), { token: tokens.outsider })).status).toBe(404)
    expect((await request('POST', path(f.customers.rep2Owned), { token: tokens.rep2, body })).status).toBe(
      201,
    )
  })

  it('should name each bad field: unknown kind or outcome, blank summary, a server-owned field', async () => {
    const res = await request('POST', path(), {
      token: tokens.rep,
      body: { kind: 'fax', outcome: 'great', summary: '  ', actor_id: f.users.owner.id },
    })
    expect(res.status).toBe(400)
    expect(failingFields(res)).toEqual(['body.actor_id', 'body.kind', 'body.outcome', 'body.summary'])
  })

  it('should list a customer’s activities latest first, page by page, to any member', async () => {
    for (const day of ['01', '02', '03'])
      await request('POST', path(f.customers.rep2Owned), {
        token: tokens.rep2,
        body: { kind: 'call', outcome: 'completed', occurred_at: `2026-02-${day}T09:00:00Z` },
      })
    const { rows, pages } = await api.walk<{ occurred_at: string }>(
      `${path(f.customers.rep2Owned)}?limit=2`,
      tokens.viewer,
    )
    const dates = rows.map((a) => a.occurred_at)
    expect(dates.slice(-3)).toEqual([
      '2026-02-03T09:00:00.000Z',
      '2026-02-02T09:00:00.000Z',
      '2026-02-01T09:00:00.000Z',
    ])
    expect(pages).toBe(2)
  })
})
