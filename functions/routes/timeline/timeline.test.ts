import { describe, expect, it } from 'vitest'
import { createCustomer } from '../../../tests/support/fixtures.ts'
import { failingFields, useApiFixture } from '../../../tests/support/use-api-fixture.ts'

interface Event {
  id: string
  type: string
  occurred_at: string
  customer_id: string | null
  actor_id: string | null
  payload: Record<string, unknown>
}

describe('timeline API', () => {
  const api = useApiFixture()

  it('should show a phase change as a phase_changed event with the old and new phase, newest first', async () => {
    const { f, tokens, request } = api
    const changed = await request('PATCH', `/customers/${f.customers.repOwned}`, {
      token: tokens.rep,
      body: { phase: 'qualified' },
    })
    expect(changed.status).toBe(200)
    const res = await request('GET', `/customers/${f.customers.repOwned}/timeline`, { token: tokens.viewer })
    expect(res.status).toBe(200)
    expect(res.json.data[0]).toMatchObject({
      type: 'phase_changed',
      org_id: f.orgA,
      customer_id: f.customers.repOwned,
      actor_id: f.users.rep.id,
      description: 'Phase changed from lead to qualified',
      payload: { old_phase: 'lead', new_phase: 'qualified' },
    })
    const types = res.json.data.map((e: Event) => e.type)
    expect(types).toContain('customer_created')
    expect(types).toContain('note')
    const times = res.json.data.map((e: Event) => e.occurred_at)
    expect(times).toEqual([...times].sort().reverse())
  })

  it('should add a note in the caller’s name', async () => {
    const { f, tokens, request } = api
    const res = await request('POST', `/customers/${f.customers.repOwned}/timeline`, {
      token: tokens.rep,
      body: { description: '  Called the CFO; budget approved.  ' },
    })
    expect(res.status).toBe(201)
    expect(res.json).toMatchObject({
      type: 'note',
      description: 'Called the CFO; budget approved.',
      actor_id: f.users.rep.id,
      org_id: f.orgA,
      customer_id: f.customers.repOwned,
      payload: {},
    })
    const list = await request('GET', `/customers/${f.customers.repOwned}/timeline?limit=1`, {
      token: tokens.rep,
    })
    expect(list.json.data[0].id).toBe(res.json.id)
    // A manager adds notes to any customer of the org.
    const byManager = await request('POST', `/customers/${f.customers.rep2Owned}/timeline`, {
      token: tokens.manager,
      body: { description: 'Checked in.' },
    })
    expect(byManager.json.actor_id).toBe(f.users.manager.id)
  })

  it('should refuse a note’s type, actor, time or any other field from the client', async () => {
    const { f, tokens, request } = api
    const res = await request('POST', `/customers/${f.customers.repOwned}/timeline`, {
      token: tokens.rep,
      body: {
        description: '',
        type: 'phase_changed',
        actor_id: f.users.manager.id,
        occurred_at: '2020-01-01T00:00:00Z',
        payload: {},
      },
    })
    expect(res.status).toBe(400)
    expect(failingFields(res)).toEqual([
      'body.actor_id',
      'body.description',
      'body.occurred_at',
      'body.payload',
      'body.type',
    ])
  })

  it('should refuse a viewer’s note and a rep’s note on another rep’s customer with 403, writing nothing', async () => {
    const { f, tokens, request, t } = api
    const count = async () =>
      (await t.db.query<{ n: number }>('select count(*)::int as n from public.timeline_events'))[0]?.n
    const before = await count()
    const viewer = await request('POST', `/customers/${f.customers.repOwned}/timeline`, {
      token: tokens.viewer,
      body: { description: 'Nope' },
    })
    expect(viewer.status).toBe(403)
    expect(viewer.json.code).toBe('forbidden')
    const rep = await request('POST', `/customers/${f.customers.rep2Owned}/timeline`, {
      token: tokens.rep,
      body: { description: 'Not mine' },
    })
    expect(rep.status).toBe(403)
    expect(await count()).toBe(before)
  })

  it('should answer 404 to another tenant and 401 without a token', async () => {
    const { f, tokens, request } = api
    const as = { token: tokens.outsider }
    expect((await request('GET', `/customers/${f.customers.repOwned}/timeline`, as)).status).toBe(404)
    expect((await request('GET', `/orgs/${f.orgA}/timeline`, as)).status).toBe(404)
    expect((await request('GET', `/orgs/${f.orgA}/timeline`, { token: tokens.stranger })).status).toBe(404)
    const note = await request('POST', `/customers/${f.customers.repOwned}/timeline`, {
      ...as,
      body: { description: 'Hello from B' },
    })
    expect(note.status).toBe(404)
    expect((await request('GET', `/orgs/${f.orgA}/timeline`)).status).toBe(401)
    expect((await request('POST', `/customers/${f.customers.repOwned}/timeline`, { body: {} })).status).toBe(
      401,
    )
  })

  it('should have no route that edits or deletes an event', async () => {
    const { f, tokens, request } = api
    const [event] = (await request('GET', `/orgs/${f.orgA}/timeline?limit=1`, { token: tokens.owner })).json
      .data
    for (const method of ['PATCH', 'PUT', 'DELETE']) {
      const res = await request(method, `/timeline/${event.id}`, {
        token: tokens.owner,
        body: { description: 'x' },
      })
      expect(res.status).toBe(404)
      const onList = await request(method, `/customers/${f.customers.repOwned}/timeline`, {
        token: tokens.owner,
        body: { description: 'x' },
      })
      expect(onList.status).toBe(404)
    }
  })

  it('should filter by type and refuse an unknown type', async () => {
    const { f, tokens, request } = api
    const notes = await request('GET', `/customers/${f.customers.repOwned}/timeline?type=note`, {
      token: tokens.viewer,
    })
    expect(notes.json.data.length).toBeGreaterThanOrEqual(2)
    expect(notes.json.data.every((e: Event) => e.type === 'note')).toBe(true)
    const two = await request('GET', `/customers/${f.customers.repOwned}/timeline?type=note,phase_changed`, {
      token: tokens.viewer,
    })
    expect(new Set(two.json.data.map((e: Event) => e.type))).toEqual(new Set(['note', 'phase_changed']))
    const bad = await request('GET', `/customers/${f.customers.repOwned}/timeline?type=note,gossip&limit=0`, {
      token: tokens.viewer,
    })
    expect(bad.status).toBe(400)
    expect(failingFields(bad)).toEqual(['query.limit', 'query.type.1'])
  })

  it('should page through an organization’s events exactly once, newest first, while notes are added', async () => {
    const { f, tokens, request } = api
    const customer = await createCustomer(api.t.db, f.orgA, f.users.rep.id, 'Paging Ltd')
    for (let i = 0; i < 6; i++)
      await request('POST', `/customers/${customer}/timeline`, {
        token: tokens.rep,
        body: { description: `Note ${i}` },
      })
    const all = (await request('GET', `/orgs/${f.orgA}/timeline?limit=100`, { token: tokens.viewer })).json
      .data
    // Newer events land before the first page, so they never show up later in this walk.
    const addNote = () =>
      request('POST', `/customers/${customer}/timeline`, {
        token: tokens.rep,
        body: { description: 'Later' },
      })
    const { rows: seen } = await api.walk<Event>(`/orgs/${f.orgA}/timeline?limit=4`, tokens.viewer, addNote)
    expect(seen.map((e) => e.id)).toEqual(all.map((e: Event) => e.id))
    expect(seen.every((e) => e.customer_id !== f.customers.orgB)).toBe(true)
    const customers = new Set(seen.map((e) => e.customer_id))
    expect(customers).toEqual(new Set([f.customers.repOwned, f.customers.rep2Owned, customer]))
  })

  it('should keep a deleted customer’s events on the organization’s timeline', async () => {
    const { f, tokens, request } = api
    const customer = await createCustomer(api.t.db, f.orgA, f.users.rep.id, 'Gone Soon')
    await request('POST', `/customers/${customer}/timeline`, {
      token: tokens.rep,
      body: { description: 'Bye' },
    })
    expect((await request('DELETE', `/customers/${customer}`, { token: tokens.rep })).status).toBe(204)
    expect((await request('GET', `/customers/${customer}/timeline`, { token: tokens.rep })).status).toBe(404)
    const org = await request('GET', `/orgs/${f.orgA}/timeline?type=customer_deleted,note&limit=2`, {
      token: tokens.viewer,
    })
    expect(org.json.data[0]).toMatchObject({
      type: 'customer_deleted',
      customer_id: null,
      payload: { customer_id: customer },
    })
    expect(org.json.data[1]).toMatchObject({ type: 'note', description: 'Bye', customer_id: null })
  })

  it('should replay a retried note with the same Idempotency-Key', async () => {
    const { f, tokens, request } = api
    const headers = { 'Idempotency-Key': 'note-once-only' }
    const body = { description: 'Sent the contract.' }
    const first = await request('POST', `/customers/${f.customers.repOwned}/timeline`, {
      token: tokens.rep,
      body,
      headers,
    })
    const again = await request('POST', `/customers/${f.customers.repOwned}/timeline`, {
      token: tokens.rep,
      body,
      headers,
    })
    expect(again.status).toBe(201)
    expect(again.json).toEqual(first.json)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    const rows = await api.t.db.query(
      `select id from public.timeline_events where description = 'Sent the contract.'`,
    )
    expect(rows).toHaveLength(1)
  })
})
